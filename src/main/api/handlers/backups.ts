/** backups.* methods. */
import { AppError } from '../../../shared/api/errors';
import { backupNow, listBackups } from '../../store/backup';
import { recordAudit } from '../../core/audit/audit';
import { requireSession, type Handlers } from '../types';

export const backupHandlers: Pick<Handlers, 'backups.list' | 'backups.run'> = {
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
};
