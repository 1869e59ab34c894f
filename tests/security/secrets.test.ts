/**
 * Issue 13 item 12: trivial PINs and easily guessed passwords are refused, with a French
 * explanation, wherever a secret is chosen: account creation (administration and site set-up),
 * password reset, password change, PIN. Nothing changes when a secret is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, createTestSite, rpc, rpcRaw, signIn, signInAs, snapshot, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { setupSite } from '../../src/main/core/site/setup';
import { openStore } from '../../src/main/store/open';
import { systemClock } from '../../src/main/core/context';
import { AppError } from '../../src/shared/api/errors';
import { pinWeakness } from '../../src/shared/accounts/secrets';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

let site: TestSite;
let admin: Connection;
beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T08:00:00Z');
  admin = await signIn(site.app, ADMIN.login, ADMIN.password);
});
afterEach(() => site.close());

const WEAK_PASSWORDS = ['aaaaaaaaaa', '1234567890', 'azertyuiop', 'motdepasse123', 'camille1990', 'soleil2024', 'c.martin2026'];
const issueOf = (r: Awaited<ReturnType<typeof rpcRaw>>) => ('error' in r ? r.error.data : null);

describe('passwords', () => {
  it.each(WEAK_PASSWORDS)('refuses « %s » when an administrator creates an account, and changes nothing', async (password) => {
    const before = snapshot(site.store);
    const r = await rpcRaw(site.app, admin, 'accounts.create', { login: 'c.martin', displayName: 'Camille Martin', role: 'agent_accueil', password });
    expect(issueOf(r)).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'password' }] });
    expect('error' in r && r.error.message).toMatch(/^Mot de passe trop facile à deviner : .+\./);
    expect(snapshot(site.store)).toBe(before);
  });

  it('refuses a weak provisional password at reset, and a weak new password at change, with the French reason', async () => {
    const created = await rpc(site.app, admin, 'accounts.create', { login: 'c.martin', displayName: 'Camille Martin', role: 'agent_accueil', password: 'Tramway-Kleber-piano-7' });
    const reset = await rpcRaw(site.app, admin, 'accounts.resetPassword', { id: created.id, password: 'aaaaaaaaaa' });
    expect(issueOf(reset)).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'password' }] });
    expect('error' in reset && reset.error.message).toMatch(/répétés/);

    const agent = await signIn(site.app, 'c.martin', 'Tramway-Kleber-piano-7');
    const before = snapshot(site.store);
    const change = await rpcRaw(site.app, agent, 'session.changePassword', { currentPassword: 'Tramway-Kleber-piano-7', newPassword: 'camillemartin' });
    expect(issueOf(change)).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'newPassword' }] });
    expect('error' in change && change.error.message).toMatch(/^Mot de passe trop facile à deviner/);
    expect(snapshot(site.store)).toBe(before);
    await rpc(site.app, agent, 'session.changePassword', { currentPassword: 'Tramway-Kleber-piano-7', newPassword: 'quatre mots pas courants' });
  });

  it('refuses a weak administrator password when a site is set up', async () => {
    const store = openStore({ file: join(site.dir, 'autre.db'), keyHex: randomBytes(32).toString('hex'), mode: 'create' });
    try {
      const err = await setupSite(store, { siteCode: 'IFF', admin: { login: 'admin', displayName: 'Admin', password: 'admin12345' } }, systemClock).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toMatch(/^Mot de passe trop facile à deviner/);
      expect(store.sqlite.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({ n: 0 });
    } finally {
      store.close();
    }
  });

  it('keeps the documented demonstration, seed and test passwords valid', async () => {
    for (const password of ['demo-admin-esc', 'demo-agent-esc', 'demo-cdas-esc', 'demo-caf-esc', 'demo-coord-esc', 'seed-esc-demo', 'bench-password-1', 'lan-admin-password-1']) {
      const r = await rpcRaw(site.app, admin, 'accounts.create', { login: `essai.${password.length}${password.slice(5, 8)}`, displayName: 'Essai', role: 'agent_accueil', password });
      expect(issueOf(r), password).toBeNull();
    }
  });
});

describe('PINs', () => {
  it.each(['0000', '1111', '1234', '9876', '0123', '1212', '123123', '2580', '12345678'])('refuses the trivial PIN %s, saying why', async (pin) => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const before = snapshot(site.store);
    const r = await rpcRaw(site.app, agent, 'session.setPin', { currentPassword: 'agent-password-1', pin });
    expect(issueOf(r)).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'pin' }] });
    expect('error' in r && r.error.message).toMatch(/Code personnel trop facile à deviner/);
    expect(snapshot(site.store)).toBe(before);
  });

  it('accepts an unremarkable PIN, and the same rule is what the PIN dialog shows', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    await rpc(site.app, agent, 'session.setPin', { currentPassword: 'agent-password-1', pin: '4821' });
    expect(pinWeakness('4821')).toBeNull();
    expect(pinWeakness('4444')).toMatch(/identiques/);
  });
});
