/** Accounts and sign-in through the real router: permissions, audit in the same transaction. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, createTestSite, rpc, rpcRaw, signIn, snapshot, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';

let site: TestSite;
let admin: Connection;

beforeEach(async () => {
  site = await createTestSite();
  admin = await signIn(site.app, ADMIN.login, ADMIN.password);
});
afterEach(() => site.close());

const auditRows = (action: string) =>
  site.store.sqlite.prepare('SELECT actor_login AS actor, entity_id AS entityId, diff FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
    actor: string;
    entityId: string;
    diff: string;
  }[];

async function createAgent(login = 'c.martin') {
  return rpc(site.app, admin, 'accounts.create', {
    login,
    displayName: 'Camille Martin',
    role: 'agent_accueil',
    institution: 'CCAS',
    password: 'provisoire-tilleul-47',
  });
}

describe('sign-in', () => {
  it('refuses a wrong password with one French message that does not say whether the login exists', async () => {
    const wrong = await rpcRaw(site.app, { token: null }, 'session.login', { login: ADMIN.login, password: 'nope-nope-nope' });
    const unknown = await rpcRaw(site.app, { token: null }, 'session.login', { login: 'personne', password: 'nope-nope-nope' });
    for (const r of [wrong, unknown]) {
      expect('error' in r && r.error.data.code).toBe('UNAUTHENTICATED');
      expect('error' in r && r.error.message).toMatch(/^Identifiant ou mot de passe incorrect\./);
    }
  });

  it('gives a token that identifies the account, and logout ends it', async () => {
    const me = await rpc(site.app, admin, 'session.me', {});
    expect(me).toMatchObject({ login: 'admin', role: 'admin', siteCode: 'BLOSNE', siteName: 'ESC Le Blosne' });
    expect(me.permissions).toContain('accounts.manage');
    const token = admin.token;
    await rpc(site.app, admin, 'session.logout', {});
    const after = await rpcRaw(site.app, { token }, 'session.me', {});
    expect('error' in after && after.error.data.code).toBe('UNAUTHENTICATED');
  });

  it('expires sessions after a working day', async () => {
    site.clock.advance(13 * 3600_000);
    const r = await rpcRaw(site.app, admin, 'session.me', {});
    expect('error' in r && r.error.data.code).toBe('UNAUTHENTICATED');
  });

  it('never stores the token itself', async () => {
    const stored = site.store.sqlite.prepare('SELECT token_hash AS h FROM sessions').all() as { h: string }[];
    expect(stored.map((s) => s.h)).not.toContain(admin.token);
  });
});

describe('accounts', () => {
  it('creates an account with an audit row in the same transaction, without the password', async () => {
    const created = await createAgent();
    expect(created).toMatchObject({ login: 'c.martin', role: 'agent_accueil', institution: 'CCAS', mustChangePassword: true, disabled: false });
    const rows = auditRows('account.create').filter((r) => r.entityId === created.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor).toBe('admin');
    expect(rows[0]!.diff).toContain('c.martin');
    expect(rows[0]!.diff).not.toMatch(/passwordHash|password_hash|scrypt|provisoire-tilleul-47/i);
  });

  it('refuses a duplicate login with CONFLICT and writes neither the account nor an audit row', async () => {
    await createAgent();
    const before = snapshot(site.store);
    const r = await rpcRaw(site.app, admin, 'accounts.create', {
      login: 'c.martin',
      displayName: 'Autre',
      role: 'agent_accueil',
      password: 'provisoire-tilleul-47',
    });
    expect('error' in r && r.error.data.code).toBe('CONFLICT');
    expect(snapshot(site.store)).toBe(before);
  });

  it('requires an institution for a professional', async () => {
    const r = await rpcRaw(site.app, admin, 'accounts.create', { login: 'pro', displayName: 'Pro', role: 'professionnel', password: 'provisoire-tilleul-47' });
    expect('error' in r && r.error.data).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'institution' }] });
  });

  it('forces a new password at first sign-in, and only then opens the rest of the API', async () => {
    await createAgent();
    const agent = await signIn(site.app, 'c.martin', 'provisoire-tilleul-47');
    expect((await rpc(site.app, agent, 'session.me', {})).mustChangePassword).toBe(true);
    const blocked = await rpcRaw(site.app, agent, 'accounts.list', {});
    expect('error' in blocked && blocked.error.data.code).toBe('FORBIDDEN');
    await rpc(site.app, agent, 'session.changePassword', { currentPassword: 'provisoire-tilleul-47', newPassword: 'mon-nouveau-secret' });
    expect((await rpc(site.app, agent, 'session.me', {})).mustChangePassword).toBe(false);
    await expect(signIn(site.app, 'c.martin', 'mon-nouveau-secret')).resolves.toBeTruthy();
  });

  it('keeps accounts management out of reach of non-administrators', async () => {
    await createAgent();
    const agent = await signIn(site.app, 'c.martin', 'provisoire-tilleul-47');
    await rpc(site.app, agent, 'session.changePassword', { currentPassword: 'provisoire-tilleul-47', newPassword: 'mon-nouveau-secret' });
    for (const method of ['accounts.list', 'accounts.create', 'accounts.update', 'accounts.resetPassword']) {
      const r = await rpcRaw(site.app, agent, method, {});
      expect('error' in r && r.error.data.code, method).toBe('FORBIDDEN');
    }
  });

  it('updates role and institution with a before/after diff, and refuses a stale version', async () => {
    const created = await createAgent();
    const updated = await rpc(site.app, admin, 'accounts.update', { id: created.id, version: created.version, role: 'coordinateur' });
    expect(updated.role).toBe('coordinateur');
    expect(updated.version).toBe(created.version + 1);
    const diff = JSON.parse(auditRows('account.update').at(-1)!.diff) as Record<string, { before: unknown; after: unknown }>;
    expect(diff.role).toEqual({ before: 'agent_accueil', after: 'coordinateur' });
    const stale = await rpcRaw(site.app, admin, 'accounts.update', { id: created.id, version: created.version, role: 'admin' });
    expect('error' in stale && stale.error.data.code).toBe('CONFLICT');
  });

  it('disabling an account ends its sessions and refuses its sign-in', async () => {
    const created = await createAgent();
    const agent = await signIn(site.app, 'c.martin', 'provisoire-tilleul-47');
    await rpc(site.app, admin, 'accounts.update', { id: created.id, version: created.version, disabled: true });
    const r = await rpcRaw(site.app, agent, 'session.me', {});
    expect('error' in r && r.error.data.code).toBe('UNAUTHENTICATED');
    await expect(signIn(site.app, 'c.martin', 'provisoire-tilleul-47')).rejects.toThrow(/désactivé/);
  });

  it('never lets the site lose its last administrator', async () => {
    const me = await rpc(site.app, admin, 'session.me', {});
    const self = (await rpc(site.app, admin, 'accounts.list', {})).accounts.find((a) => a.id === me.accountId)!;
    const r = await rpcRaw(site.app, admin, 'accounts.update', { id: self.id, version: self.version, role: 'agent_accueil' });
    expect('error' in r && r.error.message).toMatch(/dernier administrateur/);
  });

  it('resets a password: old sessions end, the new one is provisional', async () => {
    const created = await createAgent();
    const agent = await signIn(site.app, 'c.martin', 'provisoire-tilleul-47');
    await rpc(site.app, admin, 'accounts.resetPassword', { id: created.id, password: 'autre-provisoire' });
    const r = await rpcRaw(site.app, agent, 'session.me', {});
    expect('error' in r && r.error.data.code).toBe('UNAUTHENTICATED');
    const again = await signIn(site.app, 'c.martin', 'autre-provisoire');
    expect((await rpc(site.app, again, 'session.me', {})).mustChangePassword).toBe(true);
    expect(auditRows('account.resetPassword')).toHaveLength(1);
  });

  it('tells connected administrators that an account changed', async () => {
    const seen: string[] = [];
    site.app.bus.subscribe({ principal: () => ({ role: 'admin', institution: null, accountId: 'un-admin' }), deliver: (name) => seen.push(name) });
    const agentView: string[] = [];
    site.app.bus.subscribe({ principal: () => ({ role: 'agent_accueil', institution: null, accountId: 'un-agent' }), deliver: (name) => agentView.push(name) });
    await createAgent();
    expect(seen).toEqual(['accounts.changed']);
    expect(agentView).toEqual([]);
  });
});
