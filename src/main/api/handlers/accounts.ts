/** accounts.* methods (administrators). */
import { createAccount, listAccounts, resetPassword, updateAccount } from '../../core/accounts/accounts';
import { requireSession, type Handler } from '../types';

export const accountsHandlers: {
  'accounts.list': Handler<'accounts.list'>;
  'accounts.create': Handler<'accounts.create'>;
  'accounts.update': Handler<'accounts.update'>;
  'accounts.resetPassword': Handler<'accounts.resetPassword'>;
} = {
  'accounts.list': (p, ctx) => ({ accounts: listAccounts(ctx.services.core, p.includeDisabled ?? true) }),
  'accounts.create': (p, ctx) =>
    createAccount(ctx.services.core, requireSession(ctx), {
      login: p.login,
      displayName: p.displayName,
      role: p.role,
      institution: p.institution,
      password: p.password,
      mustChangePassword: true,
    }),
  'accounts.update': (p, ctx) => updateAccount(ctx.services.core, requireSession(ctx), p),
  'accounts.resetPassword': async (p, ctx) => {
    await resetPassword(ctx.services.core, requireSession(ctx), p.id, p.password);
    return { ok: true };
  },
};
