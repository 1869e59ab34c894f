/** sync.* methods. */
import { AppError } from '../../../shared/api/errors';
import { CentralError, connectCentral, describeTarget, toCentralError } from '../../central/connect';
import { recordAudit } from '../../core/audit/audit';
import { clearTarget, readTarget, saveTarget } from '../../sync/client';
import { requireSession, type Handlers } from '../types';

export const syncHandlers: Pick<Handlers, 'sync.status' | 'sync.run' | 'sync.configure'> = {
  'sync.status': (_p, ctx) => ctx.services.sync.status(),
  'sync.run': async (_p, ctx) => {
    const s = await ctx.services.sync.run(requireSession(ctx));
    return { ok: s.ok, pushed: s.pushed, pulled: s.pulled, batches: s.batches, durationMs: s.durationMs, errors: s.errors, pending: s.pending };
  },
  'sync.configure': async (p, ctx) => {
    const core = ctx.services.core;
    const ca = p.ca?.trim() ? p.ca.trim() : null;
    if (ca !== null && !ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new AppError('VALIDATION', 'Le certificat doit être au format PEM (-----BEGIN CERTIFICATE-----).', [{ path: 'ca', message: 'Certificat PEM attendu.' }]);
    }
    const before = readTarget(core.store);
    core.store.sqlite.transaction(() => {
      if (p.url === null) clearTarget(core.store);
      else {
        try {
          saveTarget(core.store, { url: p.url, ca });
        } catch (err) {
          if (err instanceof CentralError) throw new AppError('VALIDATION', err.message, [{ path: 'url', message: err.message }]);
          throw err;
        }
      }
      recordAudit(core, {
        actor: requireSession(ctx),
        action: 'sync.configure',
        entity: 'sync',
        entityId: null,
        // The address without its password.
        diff: { central: { before: before ? describeTarget(before.url) : null, after: p.url ? describeTarget(p.url) : null } },
      });
    })();
    let check: { ok: boolean; message: string } | null = null;
    if (p.url !== null) {
      try {
        const client = await connectCentral({ url: p.url, ca });
        try {
          const site = (await client.query<{ site: string | null }>('SELECT esc.current_site() AS site')).rows[0]?.site ?? null;
          check =
            site === core.site.code
              ? { ok: true, message: `Connexion vérifiée : ce compte est bien celui de ${core.site.name}.` }
              : { ok: false, message: `Ce compte du serveur central est celui du site ${site ?? '(aucun)'}, pas de ${core.site.code}.` };
        } finally {
          await client.end().catch(() => undefined);
        }
      } catch (err) {
        check = { ok: false, message: toCentralError(err, p.url).message };
      }
    }
    return { status: ctx.services.sync.status(), check };
  },
};
