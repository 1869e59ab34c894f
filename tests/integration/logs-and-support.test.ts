/**
 * Logs and the support bundle hold no personal data and no secret. A site is used the way a day
 * goes — a first name at arrival, a contact note, a hand-over with name and phone, a sign-in with
 * a wrong password, refused input, an internal failure, a central address with its password, a
 * paired device named after a person — with the log going to a rotated file; then the log file and
 * the administrator's support bundle are searched for every one of those strings. The log files
 * stay within their size bound.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureLog, log, RotatingFile } from '../../src/main/api/log';
import { createApp, type App } from '../../src/main/api/app';
import type { Connection } from '../../src/main/api/types';
import { startHub, type RunningHub } from '../../src/main/hub/server';
import { ensureStoredCertificate } from '../../src/main/hub/tls';
import { createPairingCode, pairDevice } from '../../src/main/core/devices/devices';
import { saveTarget } from '../../src/main/sync/client';
import { SUPPORT_BUNDLE_FORMAT } from '../../src/main/support/bundle';
import { ADMIN, createTestSite, rpc, rpcRaw, signIn, signInAs, type TestSite } from '../fixtures/site';

const PERSONAL = [
  'Yasmine', // first name typed at arrival
  'Loyer impayé chez M. Ballon', // contact note
  '06 12 34 56 78',
  'Gwénaëlle Lefèvre', // hand-over: name, phone, summary
  '06 98 76 54 32',
  'Expulsion annoncée pour mars',
  'Mireille Quéré-Tanguy', // an agent's name and login
  'mireille.qt',
  'jean.dupont.secret', // a login typed at a failed sign-in, and its password
  'MotDePasse-Perso-42',
  'PC de Mireille', // a device named after a person
];

let site: TestSite;
let app: App;
let hub: RunningHub;
let dir: string;
let admin: Connection;
let agent: Connection;
const CENTRAL_PASSWORD = 'S3cr3t-Central-Pw';
let secrets: string[] = [];

async function post(body: string): Promise<Record<string, unknown>> {
  const res = await fetch(new URL('rpc', hub.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esc-logs-'));
  configureLog({ file: { path: join(dir, 'logs', 'accueil-esc.log'), maxBytes: 64 * 1024, keep: 2 }, stderr: false });
  site = await createTestSite();
  site.clock.set('2026-11-23T09:00:00Z'); // a Monday, 10:00 in Paris
  app = createApp(site.store, site.clock, { backups: { dir: join(dir, 'sauvegardes'), keep: 3, keyHex: site.keyHex } });
  hub = await startHub({ app, host: '127.0.0.1', port: 0, staticDir: null });
  const tls = await ensureStoredCertificate(site.store, 'Accueil ESC – hub de test');
  const tlsKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----\n([A-Za-z0-9+/=]{20})/.exec(tls.key)![1]!;
  secrets = [ADMIN.password, site.keyHex, site.keyHex.toUpperCase(), CENTRAL_PASSWORD, tlsKey, 'PRIVATE KEY', 'mireille.qt-password-1'];

  admin = await signIn(app, ADMIN.login, ADMIN.password);
  agent = await signInAs({ ...site, app }, 'mireille.qt', 'agent_accueil', 'CCAS', 'Mireille Quéré-Tanguy');
  const entry = await rpc(app, agent, 'queue.add', { serviceCode: 'ACCUEIL', firstName: 'Yasmine' });
  await rpc(app, agent, 'queue.call', { id: entry.id, version: entry.version, destination: 'Guichet 1' }).then((e) => rpc(app, agent, 'queue.start', { id: e.id, version: e.version }));
  const started = (await rpc(app, agent, 'queue.list', {})).entries.find((e) => e.id === entry.id)!;
  await rpc(app, agent, 'queue.finish', { id: started.id, version: started.version });
  await rpc(app, agent, 'contacts.log', { queueEntryId: entry.id, domains: ['LOGEMENT'], note: 'Loyer impayé chez M. Ballon, rappeler au 06 12 34 56 78' });
  await rpc(app, agent, 'handoffs.create', {
    toInstitution: 'CDAS',
    domains: ['LOGEMENT'],
    mode: 'accompagne',
    consent: true,
    sharedFields: ['name', 'phone', 'summary'],
    personName: 'Gwénaëlle Lefèvre',
    personPhone: '06 98 76 54 32',
    summary: 'Expulsion annoncée pour mars',
  });
  // Refused: a wrong password (over HTTP, as a desk would), input too long, a body that is not JSON.
  await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.login', params: { login: 'jean.dupont.secret', password: 'MotDePasse-Perso-42' } }));
  await rpcRaw(app, agent, 'queue.add', { serviceCode: 'ACCUEIL', firstName: `Yasmine ${'x'.repeat(300)}` });
  await post('{"jsonrpc":"2.0","method":"queue.add","params":{"firstName":"Gwénaëlle Lefèvre"');
  // A central address with its password, tried (nothing listens there: the cycle fails).
  saveTarget(site.store, { url: `postgres://esc_site_blosne:${CENTRAL_PASSWORD}@127.0.0.1:9/accueil_esc?sslmode=disable` });
  await app.services.sync.run().catch(() => undefined);
  // A device named after a person, and a backup.
  const { code } = createPairingCode(app.core, null);
  pairDevice(app.core, { name: 'PC de Mireille', code, fingerprint: tls.fingerprint, address: '192.0.2.7' });
  await rpc(app, admin, 'backups.run', {});
  log.warn('test.marker', { step: 'after the day' });

  // An internal failure (the base of another site went away under a request): logged as an error.
  const broken = await createTestSite('IFF');
  const brokenAdmin = await signIn(broken.app, ADMIN.login, ADMIN.password);
  broken.store.sqlite.close();
  await rpcRaw(broken.app, brokenAdmin, 'queue.add', { serviceCode: 'ACCUEIL', firstName: 'Yasmine' });
  rmSync(broken.dir, { recursive: true, force: true });
});

afterAll(async () => {
  configureLog({ file: null });
  await hub.close();
  site.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the log file', () => {
  it('records what happened (failures included) and none of the personal data or secrets', () => {
    const text = readFileSync(join(dir, 'logs', 'accueil-esc.log'), 'utf8');
    expect(text).toContain('"event":"test.marker"');
    expect(text).toContain('"event":"rpc.failure"');
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
    for (const s of [...PERSONAL, ...secrets]) expect(text, s).not.toContain(s);
  });

  it('rotates by size: never more than (keep + 1) files of at most maxBytes', () => {
    const path = join(dir, 'rotation', 'test.log');
    const file = new RotatingFile(path, { maxBytes: 4096, keep: 2 });
    const line = (i: number) => `${JSON.stringify({ event: 'line', i, pad: 'x'.repeat(80) })}\n`;
    for (let i = 0; i < 500; i++) file.write(line(i));
    file.close();
    const files = readdirSync(join(dir, 'rotation')).sort();
    expect(files).toEqual(['test.log', 'test.log.1', 'test.log.2']);
    for (const f of files) expect(statSync(join(dir, 'rotation', f)).size).toBeLessThanOrEqual(4096);
    // The newest lines are in the current file, the oldest ones were dropped.
    expect(readFileSync(path, 'utf8').trim().split('\n').at(-1)).toBe(line(499).trim());
    expect(readFileSync(`${path}.2`, 'utf8')).not.toContain('"i":0,');
    expect(existsSync(`${path}.3`)).toBe(false);
  });
});

describe('the support bundle', () => {
  it('gives support the versions, the settings, the sync and backup state and the last problems', async () => {
    const bundle = await rpc(app, admin, 'support.bundle', {});
    expect(bundle.fileName).toMatch(/^accueil-esc-assistance-BLOSNE-\d{8}-\d{4}\.json$/);
    const b = JSON.parse(bundle.json) as Record<string, Record<string, unknown>> & { recentProblems: { event: string }[]; settings: unknown[] };
    expect(b.format).toBe(SUPPORT_BUNDLE_FORMAT);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(b.application).toMatchObject({ version: pkg.version, runMode: 'hub', contract: 1 });
    expect(b.site).toMatchObject({ code: 'BLOSNE' });
    expect((b.database!.rows as Record<string, number>).contacts).toBe(1);
    expect(b.database!.accountsByRole).toEqual(expect.arrayContaining([{ role: 'agent_accueil', accounts: 1, disabled: 0 }]));
    expect(b.sync).toMatchObject({ configured: true, central: '127.0.0.1:9/accueil_esc (esc_site_blosne, TLS désactivé)' });
    expect(b.sync!.lastError).toBeTruthy();
    expect(b.backups).toMatchObject({ configured: true, copies: 1 });
    expect(b.recentProblems.map((p) => p.event)).toEqual(expect.arrayContaining(['test.marker', 'rpc.failure']));
    expect(b.network).toMatchObject({ mode: 'boucle locale' });
  });

  it('holds no personal data, no key, no password, no private key', async () => {
    const { json } = await rpc(app, admin, 'support.bundle', {});
    for (const s of [...PERSONAL, ...secrets]) expect(json, s).not.toContain(s);
  });

  it('is for the administration only, and the journal keeps a trace of it', async () => {
    const refused = await rpcRaw(app, agent, 'support.bundle', {});
    expect('error' in refused && refused.error.data.code).toBe('FORBIDDEN');
    const traced = site.store.sqlite.prepare("SELECT actor_login AS who FROM audit_log WHERE action = 'support.bundle'").all() as { who: string }[];
    expect(traced.length).toBeGreaterThan(0);
    expect(traced.every((t) => t.who === 'admin')).toBe(true);
  });
});
