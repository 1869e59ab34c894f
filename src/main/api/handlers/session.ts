/** session.* methods. */
import { AppError } from '../../../shared/api/errors';
import type { Me } from '../../../shared/api/methods/session';
import { permissionsOf } from '../../../shared/permissions';
import { changePassword, login, logout, type Session } from '../../core/accounts/sessions';
import type { CoreContext } from '../../core/context';
import { requireSession, type Handler } from '../types';

export function meOf(core: CoreContext, s: Session): Me {
  return {
    accountId: s.accountId,
    login: s.login,
    displayName: s.displayName,
    role: s.role,
    institution: s.institution,
    siteCode: core.site.code,
    siteName: core.site.name,
    mustChangePassword: s.mustChangePassword,
    permissions: permissionsOf(s),
  };
}

export const sessionHandlers: {
  'session.login': Handler<'session.login'>;
  'session.resume': Handler<'session.resume'>;
  'session.logout': Handler<'session.logout'>;
  'session.me': Handler<'session.me'>;
  'session.changePassword': Handler<'session.changePassword'>;
} = {
  'session.login': async (p, ctx) => {
    const core = ctx.services.core;
    const { token, session } = await login(core, p.login, p.password);
    ctx.conn.token = token;
    return { token, expiresAt: session.expiresAt, me: meOf(core, session) };
  },
  'session.resume': (p, ctx) => {
    const session = ctx.services.resolveSession(p.token);
    if (!session) throw new AppError('UNAUTHENTICATED');
    ctx.conn.token = p.token;
    return { expiresAt: session.expiresAt, me: meOf(ctx.services.core, session) };
  },
  'session.logout': (_p, ctx) => {
    logout(ctx.services.core, requireSession(ctx));
    ctx.conn.token = null;
    return { ok: true };
  },
  'session.me': (_p, ctx) => meOf(ctx.services.core, requireSession(ctx)),
  'session.changePassword': async (p, ctx) => {
    await changePassword(ctx.services.core, requireSession(ctx), p.currentPassword, p.newPassword);
    return { ok: true };
  },
};
