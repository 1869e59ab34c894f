/**
 * Issue 13 item 16 (and the LAN side of item 4): over HTTPS the hub sends HSTS; the page's CSP lets
 * it open a WebSocket to the hub it came from and nowhere else; the names the hub answers to are
 * its certificate's and the machine's; pairing tries are counted per address, so an unpaired
 * machine cannot burn the current code for everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { generateHubCertificate, type HubTls } from '../../src/main/hub/tls';
import { SignInLimiter } from '../../src/main/hub/rate-limit';
import { rpc, signIn, ADMIN } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { raw, startTestHub, type RawResponse, type TestHub } from './hub-helpers';

let tls: HubTls;
let t: TestHub;
let plain: TestHub;
let admin: Connection;

beforeAll(async () => {
  tls = await generateHubCertificate('Accueil ESC – hub test', { dns: ['localhost', 'accueil-cleunay.test'], ips: ['127.0.0.1'] });
  const { createTestSite } = await import('../fixtures/site');
  t = await startTestHub({ tls, pairing: { trust: (a) => a === '127.0.0.1' }, signInLimiter: new SignInLimiter(1000) }, await createTestSite('CLEUNAY'));
  plain = await startTestHub();
  admin = await signIn(t.site.app, ADMIN.login, ADMIN.password);
});
afterAll(async () => {
  await t.close();
  await plain.close();
});

const lan = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<RawResponse> =>
  raw({ port: t.port, path, ca: tls.cert, servername: 'localhost', ...init, headers: { Host: `localhost:${t.port}`, ...init.headers } });

const tryCode = (code: string, from: string) =>
  lan('/appairage', { method: 'POST', localAddress: from, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code, name: `Poste ${from}` }).toString() });

describe('HTTPS headers', () => {
  it('sends HSTS over HTTPS, not over plain loopback HTTP', async () => {
    const page = await lan('/');
    expect(page.status).toBe(200);
    expect(page.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    const pairing = await lan('/appairage');
    expect(pairing.headers['strict-transport-security']).toMatch(/^max-age=/);
    // Under `no-referrer` a browser posts the pairing form with `Origin: null`, which is refused.
    expect(pairing.headers['referrer-policy']).toBe('same-origin');
    const posted = await lan('/appairage', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: `https://localhost:${t.port}` }, body: 'code=AAAA-BBBB-CCCC&name=Poste' });
    expect(posted.body).toContain('Aucun code d’appairage valide');
    expect((await raw({ port: plain.port, path: '/' })).headers['strict-transport-security']).toBeUndefined();
  });

  it('the page may open a WebSocket to its own hub only', async () => {
    const csp = String((await lan('/')).headers['content-security-policy']);
    const connect = /connect-src ([^;]*)/.exec(csp)?.[1]?.trim().split(/\s+/);
    expect(connect).toEqual(["'self'", `wss://localhost:${t.port}`]);
    // Served under another of its names, the page connects back to that name.
    const byName = String((await lan('/', { headers: { Host: `accueil-cleunay.test:${t.port}` } })).headers['content-security-policy']);
    expect(/connect-src ([^;]*)/.exec(byName)?.[1]?.trim()).toBe(`'self' wss://accueil-cleunay.test:${t.port}`);
    const loopback = String((await raw({ port: plain.port, path: '/' })).headers['content-security-policy']);
    expect(/connect-src ([^;]*)/.exec(loopback)?.[1]?.trim()).toBe(`'self' ws://127.0.0.1:${plain.port}`);
  });
});

describe('names of a LAN hub', () => {
  it('answers its certificate’s names and the machine’s addresses, not a rebound name', async () => {
    expect((await lan('/', { headers: { Host: `accueil-cleunay.test:${t.port}` } })).status).toBe(200);
    expect((await lan('/', { headers: { Host: `127.0.0.1:${t.port}` } })).status).toBe(200);
    expect((await lan('/', { headers: { Host: `attacker.example:${t.port}` } })).status).toBe(421);
    const ws = await new Promise<boolean>((resolve) => {
      const s = new WebSocket(`wss://localhost:${t.port}/rpc`, { ca: tls.cert, headers: { Host: `attacker.example:${t.port}` } });
      s.on('open', () => {
        s.close();
        resolve(true);
      });
      s.on('error', () => resolve(false));
      s.on('unexpected-response', () => resolve(false));
    });
    expect(ws).toBe(false);
  });
});

describe('pairing tries per address', () => {
  it('five wrong codes from one machine lock that machine out of this code, not the others', async () => {
    const { code } = await rpc(t.site.app, admin, 'devices.pairingCode', {});
    for (let i = 0; i < 4; i++) expect((await tryCode(`WRONG-${i}`, '127.0.0.2')).body).toContain('Code d’appairage erroné');
    expect((await tryCode('WRONG-5', '127.0.0.2')).body).toContain('trop d’essais depuis ce poste');
    // Even the right code is refused from that machine now…
    const refused = await tryCode(code, '127.0.0.2');
    expect(refused.status).not.toBe(303);
    expect(refused.body).toContain('trop d’essais depuis ce poste');
    // …but the code is still valid, and the desk it was meant for pairs with it.
    expect((await rpc(t.site.app, admin, 'devices.list', {})).activeCodeExpiresAt).not.toBeNull();
    const ok = await tryCode(code, '127.0.0.3');
    expect(ok.status).toBe(303);
    expect(String(ok.headers['set-cookie'])).toMatch(/^esc_device=/);
  });

  it('the code is burnt only once many machines have failed', async () => {
    await rpc(t.site.app, admin, 'devices.pairingCode', {});
    // Nine machines × five wrong tries: the code survives.
    for (let m = 10; m < 19; m++) for (let i = 0; i < 5; i++) await tryCode(`FAUX-${m}-${i}`, `127.0.0.${m}`);
    expect((await rpc(t.site.app, admin, 'devices.list', {})).activeCodeExpiresAt).not.toBeNull();
    // The tenth brings the total to the ceiling: now nobody can use it.
    for (let i = 0; i < 4; i++) await tryCode(`FAUX-19-${i}`, '127.0.0.19');
    expect((await tryCode('FAUX-19-4', '127.0.0.19')).body).toContain('trop d’essais, il est annulé');
    expect((await rpc(t.site.app, admin, 'devices.list', {})).activeCodeExpiresAt).toBeNull();
    const journal = t.site.store.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'device.pair_failed'").get() as { n: number };
    expect(journal.n).toBeGreaterThanOrEqual(50);
  });
});
