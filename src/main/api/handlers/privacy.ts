/** privacy.* methods. */
import { erasePersonal, fixedRules, getRetention, searchPerson, updateRetention } from '../../core/privacy/privacy';
import { requireSession, type Handlers } from '../types';

export const privacyHandlers: Pick<Handlers, Extract<keyof Handlers, `privacy.${string}`>> = {
  'privacy.getRetention': (_p, ctx) => ({ retention: getRetention(ctx.services.core), fixed: fixedRules(ctx.services.core) }),
  'privacy.updateRetention': (p, ctx) => updateRetention(ctx.services.core, requireSession(ctx), p.retention),
  'privacy.search': (p, ctx) => ({ findings: searchPerson(ctx.services.core, requireSession(ctx), p) }),
  'privacy.erase': (p, ctx) => ({ erased: erasePersonal(ctx.services.core, requireSession(ctx), p.items, p.reason) }),
};
