/** session.* methods. */
import { AppError } from '../../../shared/api/errors';
import type { Me } from '../../../shared/api/methods/session';
import { permissionsOf } from '../../../shared/permissions';
import { changePassword, lockSession, login, logout, pinLogin, setPin, unlockSession, type Session } from '../../core/accounts/sessions';
import { lockAfterMinutes } from '../../core/accounts/desk';
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
    locked: s.locked,
    hasPin: s.hasPin,
    lockAfterMinutes: lockAfterMinutes(core),
  };
}

export const sessionHandlers: {
  'session.login': Handler<'session.login'>;
  'session.resume': Handler<'session.resume'>;
  'session.pinLogin': Handler<'session.pinLogin'>;
  'session.lock': Handler<'session.lock'>;
  'session.unlock': Handler<'session.unlock'>;
  'session.setPin': Handler<'session.setPin'>;
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
  'session.pinLogin': async (p, ctx) => {
    const core = ctx.services.core;
    const { token, session } = await pinLogin(core, p.login, p.pin);
    ctx.conn.token = token;
    return { token, expiresAt: session.expiresAt, me: meOf(core, session) };
  },
  'session.lock': (_p, ctx) => {
    lockSession(ctx.services.core, requireSession(ctx));
    return { ok: true };
  },
  'session.unlock': async (p, ctx) => {
    await unlockSession(ctx.services.core, requireSession(ctx), p);
    return { ok: true };
  },
  'session.setPin': async (p, ctx) => {
    await setPin(ctx.services.core, requireSession(ctx), p.currentPassword, p.pin);
    return { ok: true };
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
