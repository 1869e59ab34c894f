/** backups.* methods. */
import { basename, join } from 'node:path';
import { AppError } from '../../../shared/api/errors';
import { backupNow, listBackups, restoreLive } from '../../store/backup';
import { StoreError } from '../../store/open';
import { recordAudit } from '../../core/audit/audit';
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
  'backups.run': (_p, ctx) => {
    const b = ctx.services.backups;
    if (!b) throw new AppError('UNAVAILABLE', 'Aucun dossier de sauvegarde n’est configuré sur ce hub (option --backup-dir).');
    const core = ctx.services.core;
    const info = backupNow(core.store, b.keyHex, b.dir, b.keep, core.clock.now());
    core.store.sqlite.transaction(() => recordAudit(core, { actor: requireSession(ctx), action: 'backup.run', entity: 'backup', entityId: info.name, diff: {} }))();
    return info;
  },
  'backups.restore': (p, ctx) => {
    const b = ctx.services.backups;
    if (!b) throw new AppError('UNAVAILABLE', 'Aucun dossier de sauvegarde n’est configuré sur ce hub (option --backup-dir).');
    const chosen = listBackups(b.dir).find((x) => x.name === p.name);
    if (!chosen) throw new AppError('NOT_FOUND', `Sauvegarde « ${p.name} » introuvable dans ${b.dir}.`);
    const core = ctx.services.core;
    const actor = requireSession(ctx);
    let aside: string;
    try {
      aside = restoreLive(core.store, join(b.dir, chosen.name), b.keyHex, core.clock.now());
    } catch (err) {
      throw new AppError('CONFLICT', `Restauration refusée : ${err instanceof StoreError ? err.message : 'la sauvegarde ne s’ouvre pas ou n’est pas intègre'}. La base actuelle est intacte.`);
    }
    // The restored base: every session of that time is closed (everyone signs in again), and the
    // journal says who restored what.
    const now = core.clock.now().toISOString();
    core.store.sqlite.transaction(() => {
      core.store.sqlite.prepare('UPDATE sessions SET revoked_at = ? WHERE revoked_at IS NULL').run(now);
      recordAudit(core, { actor, action: 'backup.restore', entity: 'backup', entityId: chosen.name, diff: { setAside: { before: null, after: basename(aside) } } });
    })();
    return { restored: chosen.name, setAside: basename(aside) };
  },
};
