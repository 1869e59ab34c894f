/** backups.* methods. */
import { basename, join } from 'node:path';
import { AppError } from '../../../shared/api/errors';
import { listBackups, restoreLive } from '../../store/backup';
import { StoreError } from '../../store/open';
import { recordAudit } from '../../core/audit/audit';
import { revokeAllSessions } from '../../core/accounts/sessions';
import { requireSession, type Handlers } from '../types';

export const backupHandlers: Pick<Handlers, 'backups.list' | 'backups.run' | 'backups.restore' | 'recovery.unlock'> = {
  // Only meaningful before the desktop has opened its base (src/main/desktop/main.ts answers it then).
  'recovery.unlock': () => {
    throw new AppError('UNAVAILABLE', 'La base est déjà ouverte. Sur le serveur du site, c’est le service informatique qui rouvre la base avec la clé de secours.');
  },
  'backups.list': (_p, ctx) => {
    const b = ctx.services.backups;
    return { configured: b !== null, dir: b?.dir ?? null, keep: b?.keep ?? 0, backups: b ? listBackups(b.dir) : [] };
  },
  // The copy (VACUUM INTO) and its verification run in the job worker, from its own connection.
  'backups.run': async (_p, ctx) => {
    const b = ctx.services.backups;
    if (!b) throw new AppError('UNAVAILABLE', 'Aucun dossier de sauvegarde n’est configuré sur ce hub (option --backup-dir).');
    const core = ctx.services.core;
    const info = await ctx.services.jobs.run('backup', { dir: b.dir, keep: b.keep }, { owner: requireSession(ctx).tokenHash, now: core.clock.now() });
    core.store.sqlite.transaction(() => recordAudit(core, { actor: requireSession(ctx), action: 'backup.run', entity: 'backup', entityId: info.name, diff: {} }))();
    return info;
  },
  'backups.restore': async (p, ctx) => {
    const b = ctx.services.backups;
    if (!b) throw new AppError('UNAVAILABLE', 'Aucun dossier de sauvegarde n’est configuré sur ce hub (option --backup-dir).');
    const chosen = listBackups(b.dir).find((x) => x.name === p.name);
    if (!chosen) throw new AppError('NOT_FOUND', `Sauvegarde « ${p.name} » introuvable dans ${b.dir}.`);
    const core = ctx.services.core;
    const actor = requireSession(ctx);
    const refused = (err: unknown) =>
      new AppError('CONFLICT', `Restauration refusée : ${err instanceof StoreError ? err.message : 'la sauvegarde ne s’ouvre pas ou n’est pas intègre'}. La base actuelle est intacte.`);
    const file = join(b.dir, chosen.name);
    // The full integrity check of the backup runs in the job worker; the swap itself is quick.
    try {
      await ctx.services.jobs.run('verifyBackup', { file }, { owner: actor.tokenHash, now: core.clock.now() });
    } catch (err) {
      if (err instanceof AppError && err.code === 'UNAVAILABLE') throw err;
      throw refused(err);
    }
    // Workers hold connections to the file being replaced: end them (the next job reopens). The
    // checkpointer's must be closed before the swap (closing last afterwards, it would delete the
    // new file's WAL) and opens the restored file (or the untouched one) afterwards.
    await ctx.services.jobs.reset();
    const checkpointer = ctx.services.checkpointer;
    await checkpointer?.stop();
    let aside: string;
    try {
      aside = restoreLive(core.store, file, b.keyHex, core.clock.now(), { integrityChecked: true });
    } catch (err) {
      throw refused(err);
    } finally {
      void checkpointer?.start();
    }
    // The restored base: every session of that time is closed (everyone signs in again), and the
    // journal says who restored what.
    core.store.sqlite.transaction(() => {
      revokeAllSessions(core);
      recordAudit(core, { actor, action: 'backup.restore', entity: 'backup', entityId: chosen.name, diff: { setAside: { before: null, after: basename(aside) } } });
    })();
    return { restored: chosen.name, setAside: basename(aside) };
  },
};
