/**
 * Decision 028: password and PIN hashes use scrypt N = 2^13, r = 8, p = 10 (8 MiB each), at most
 * two at once. Hashes stored by earlier versions (N = 2^15, p = 1) still sign in and are replaced
 * by the new parameters at the first right secret, without touching the account otherwise; a
 * wrong secret replaces nothing; a damaged stored hash is refused without asking scrypt for
 * gigabytes; a burst of sign-ins never computes more than two hashes at a time.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashesRunning, hashPassword, MAX_CONCURRENT_HASHES, needsRehash, verifyPassword } from '../../src/main/core/accounts/passwords';
import { createTestSite, rpc, rpcRaw, signInAs, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';

/** A hash exactly as wave 1 stored it (N = 2^15, r = 8, p = 1). */
function legacyHash(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret.normalize('NFC'), salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', 1 << 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

let site: TestSite;
beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T08:00:00Z');
});
afterEach(() => site.close());

type Stored = { password_hash: string; pin_hash: string | null; version: number; updated_at: string };
const stored = (login: string) => site.store.sqlite.prepare('SELECT password_hash, pin_hash, version, updated_at FROM accounts WHERE login = ?').get(login) as Stored;
const setStored = (login: string, column: 'password_hash' | 'pin_hash', value: string) =>
  site.store.sqlite.prepare(`UPDATE accounts SET ${column} = ? WHERE login = ?`).run(value, login);
const auditCount = () => (site.store.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

describe('hashes made with older parameters', () => {
  it('sign in with the old password hash, which is then replaced by the current parameters, and nothing else changes', async () => {
    await signInAs(site, 'agent', 'agent_accueil');
    setStored('agent', 'password_hash', legacyHash('agent-password-1'));
    const before = stored('agent');
    expect(needsRehash(before.password_hash)).toBe(true);

    const auditBefore = auditCount();
    const conn: Connection = { token: null };
    await rpc(site.app, conn, 'session.login', { login: 'agent', password: 'agent-password-1' });

    const after = stored('agent');
    expect(after.password_hash).not.toBe(before.password_hash);
    expect(after.password_hash).toMatch(/^scrypt\$8192\$8\$10\$/);
    expect(needsRehash(after.password_hash)).toBe(false);
    expect(await verifyPassword('agent-password-1', after.password_hash)).toBe(true);
    // Not an edit of the account: same version, same update time, only the sign-in is audited.
    expect(after.version).toBe(before.version);
    expect(after.updated_at).toBe(before.updated_at);
    expect(auditCount()).toBe(auditBefore + 1);

    // And the new hash signs in as well.
    await rpc(site.app, { token: null }, 'session.login', { login: 'agent', password: 'agent-password-1' });
  });

  it('a wrong password replaces nothing', async () => {
    await signInAs(site, 'agent', 'agent_accueil');
    const legacy = legacyHash('agent-password-1');
    setStored('agent', 'password_hash', legacy);
    const r = await rpcRaw(site.app, { token: null }, 'session.login', { login: 'agent', password: 'agent-password-2' });
    expect('error' in r && r.error.data).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(stored('agent').password_hash).toBe(legacy);
  });

  it('a PIN stored with the old parameters switches the desk, and is upgraded too', async () => {
    const agent = await signInAs(site, 'agent', 'agent_accueil');
    await rpc(site.app, agent, 'session.setPin', { currentPassword: 'agent-password-1', pin: '4821' });
    setStored('agent', 'pin_hash', legacyHash('4821'));
    const conn: Connection = { token: null };
    await rpc(site.app, conn, 'session.pinLogin', { login: 'agent', pin: '4821' });
    const pin = stored('agent').pin_hash!;
    expect(pin).toMatch(/^scrypt\$8192\$8\$10\$/);
    expect(await verifyPassword('4821', pin)).toBe(true);
  });
});

describe('stored values scrypt must not trust', () => {
  it.each([
    ['a cost of 2^30', `scrypt$${2 ** 30}$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`],
    ['a cost that is not a power of two', `scrypt$10000$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`],
    ['a huge parallelism', `scrypt$8192$8$100000$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`],
    ['another format', 'bcrypt$10$abc'],
    ['nothing', ''],
  ])('refuses %s without computing it', async (_what, value) => {
    const started = Date.now();
    expect(await verifyPassword('anything', value)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(needsRehash(value)).toBe(true);
  });
});

describe('the hashing gate', () => {
  it(`never computes more than ${MAX_CONCURRENT_HASHES} hashes at once, and every caller gets its own`, async () => {
    let highest = 0;
    let sampling = true;
    const sample = (): void => {
      highest = Math.max(highest, hashesRunning());
      if (sampling) setImmediate(sample);
    };
    sample();
    const secrets = Array.from({ length: 8 }, (_, i) => `secret-${i}`);
    const hashes = await Promise.all(secrets.map((s) => hashPassword(s)));
    sampling = false;
    expect(highest).toBe(MAX_CONCURRENT_HASHES);
    expect(hashesRunning()).toBe(0);
    expect(new Set(hashes).size).toBe(8);
    const checks = await Promise.all(hashes.map((h, i) => verifyPassword(secrets[i]!, h)));
    expect(checks).toEqual(Array(8).fill(true));
    expect(await verifyPassword('secret-0', hashes[1]!)).toBe(false);
  });
});
