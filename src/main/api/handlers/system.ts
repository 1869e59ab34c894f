/** system.about (the À propos panel, version checks) and support.bundle (administration). */
import { CONTRACT_VERSION, OLDEST_SERVED_CONTRACT } from '../../../shared/api/version';
import { recordAudit } from '../../core/audit/audit';
import { buildInfo } from '../../runtime/build-info';
import { SCHEMA_VERSION } from '../../store/migrations';
import { supportBundle } from '../../support/bundle';
import { AppError } from '../../../shared/api/errors';
import { requireSession, type Handlers } from '../types';

/** The first-start methods belong to a desktop that has neither base nor hub yet (setup/first-start.ts). */
const firstStartOnly = (): never => {
  throw new AppError('UNAVAILABLE', 'Réservé au premier démarrage de l’application de bureau : ce poste est déjà en service.');
};

export const systemHandlers: Pick<Handlers, 'system.about' | 'support.bundle' | 'setup.status' | 'setup.pair' | 'setup.standalone' | 'setup.retry'> = {
  'setup.status': firstStartOnly,
  'setup.pair': firstStartOnly,
  'setup.standalone': firstStartOnly,
  'setup.retry': firstStartOnly,
  'system.about': (_p, ctx) => {
    const info = buildInfo();
    return {
      version: info.version,
      commit: info.commit,
      builtAt: info.builtAt,
      contract: CONTRACT_VERSION,
      oldestContract: OLDEST_SERVED_CONTRACT,
      schemaVersion: SCHEMA_VERSION,
      runMode: ctx.services.runMode,
      siteCode: ctx.services.core.site.code,
    };
  },
  'support.bundle': (_p, ctx) => {
    const core = ctx.services.core;
    const bundle = supportBundle(ctx.services);
    core.store.sqlite.transaction(() =>
      recordAudit(core, { actor: requireSession(ctx), action: 'support.bundle', entity: 'support', entityId: null, diff: { file: { before: null, after: bundle.fileName } } }),
    )();
    return bundle;
  },
};
