/**
 * Restoring a backup from the administration screen while the hub runs: the chosen backup is
 * verified, put in place, the current base set aside, everyone signs in again, and the app goes
 * on with the restored data. A damaged backup is refused and changes nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ADMIN, createTestSite, rpc, rpcRaw, signIn, type TestSite } from '../fixtures/site';
import { createApp } from '../../src/main/api/app';
import { createAccount } from '../../src/main/core/accounts/accounts';

let site: TestSite;
const dir = mkdtempSync(join(tmpdir(), 'esc-restore-live-'));

afterAll(() => {
  site?.close();
  rmSync(dir, { recursive: true, force: true });
});

const logins = async (app: ReturnType<typeof createApp>, conn: Awaited<ReturnType<typeof signIn>>) =>
  (await rpc(app, conn, 'accounts.list', {})).accounts.map((a) => a.login).sort();

describe('restore from the administration screen', () => {
  it('puts the chosen backup in place under the running app; a damaged one is refused', async () => {
    site = await createTestSite('CESAIRE');
    const app = createApp(site.store, site.clock, { backups: { dir, keep: 5, keyHex: site.keyHex } });
    const person = (login: string) => createAccount(app.core, null, { login, displayName: login, role: 'agent_accueil', institution: null, password: `${login}-password-1`, mustChangePassword: false });
    await person('avant');
    let admin = await signIn(app, ADMIN.login, ADMIN.password);
    const backup = await rpc(app, admin, 'backups.run', {});
    await person('apres');
    expect(await logins(app, admin)).toEqual(['admin', 'apres', 'avant']);

    // A damaged file with a backup's name: refused, the live base untouched and still in use.
    writeFileSync(join(dir, 'accueil-esc-20991231-235959.db'), randomBytes(16384));
    const damaged = await rpcRaw(app, admin, 'backups.restore', { name: 'accueil-esc-20991231-235959.db' });
    expect(damaged).toMatchObject({ error: { message: expect.stringMatching(/^Restauration refusée : .*La base actuelle est intacte\.$/) } });
    expect(await logins(app, admin)).toEqual(['admin', 'apres', 'avant']);
    expect(await rpcRaw(app, admin, 'backups.restore', { name: '../accueil-esc.db' })).toMatchObject({ error: { message: expect.stringMatching(/introuvable/) } });

    const done = await rpc(app, admin, 'backups.restore', { name: backup.name });
    expect(done.restored).toBe(backup.name);
    expect(existsSync(join(dirname(site.file), done.setAside))).toBe(true);
    // Everyone signs in again; the data are the backup's.
    expect(await rpcRaw(app, admin, 'accounts.list', {})).toMatchObject({ error: { data: { code: 'UNAUTHENTICATED' } } });
    admin = await signIn(app, ADMIN.login, ADMIN.password);
    expect(await logins(app, admin)).toEqual(['admin', 'avant']);
    expect(site.store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // The app writes to the restored base as before.
    await person('ensuite');
    expect(await logins(app, admin)).toEqual(['admin', 'avant', 'ensuite']);
    const journal = site.store.sqlite.prepare("SELECT entity_id AS name FROM audit_log WHERE action = 'backup.restore'").all();
    expect(journal).toEqual([{ name: backup.name }]);
    expect(readdirSync(dirname(site.file)).some((f) => f.includes('avant-restauration'))).toBe(true);
  });
});
