/** sync.* methods. */
import { requireSession, type Handlers } from '../types';

export const syncHandlers: Pick<Handlers, 'sync.status' | 'sync.run'> = {
  'sync.status': (_p, ctx) => ctx.services.sync.status(),
  'sync.run': async (_p, ctx) => {
    const s = await ctx.services.sync.run(requireSession(ctx));
    return { ok: s.ok, pushed: s.pushed, pulled: s.pulled, batches: s.batches, durationMs: s.durationMs, errors: s.errors, pending: s.pending };
  },
};
