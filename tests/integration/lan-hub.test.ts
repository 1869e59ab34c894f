/**
 * The LAN hub: HTTPS/WSS with the hub's own certificate, and device pairing. Clients are treated
 * as remote (the loopback exemption is turned off) so that the whole gate is exercised here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as tlsConnect, createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { request } from 'node:https';
import WebSocket from 'ws';
import { createTestSite, rpc, signIn, ADMIN, type TestSite } from '../fixtures/site';
import { startHub, type RunningHub } from '../../src/main/hub/server';
import { SignInLimiter } from '../../src/main/hub/rate-limit';
import { generateHubCertificate, type HubTls } from '../../src/main/hub/tls';
import { electronFingerprint, pairSatellite, pinnedRequest, presentedCertificate } from '../../src/main/hub/satellite';
import { createHash } from 'node:crypto';
import type { Connection } from '../../src/main/api/types';

let site: TestSite;
let tls: HubTls;
let hub: RunningHub;
let hubUrl: string;
let admin: Connection;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request as a browser that accepted the hub's certificate would make it. */
function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  const u = new URL(hubUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: init.method ?? 'GET', headers: init.headers, ca: tls.cert, servername: 'localhost', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

const rpcBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.login', params: { login: 'admin', password: 'admin-password-1' } });
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

function wsOpens(headers: Record<string, string>): Promise<boolean> {
  const u = new URL(hubUrl);
  return new Promise((resolve) => {
    const ws = new WebSocket(`wss://localhost:${u.port}/rpc`, { ca: tls.cert, headers });
    ws.on('open', () => {
      ws.close();
      resolve(true);
    });
    ws.on('error', () => resolve(false));
    ws.on('unexpected-response', () => resolve(false));
  });
}

beforeAll(async () => {
  site = await createTestSite('CLEUNAY');
  tls = await generateHubCertificate('Accueil ESC – hub test', { dns: ['localhost'], ips: ['127.0.0.1'] });
  hub = await startHub({ app: site.app, host: '127.0.0.1', port: 0, staticDir: null, tls, pairing: { trust: () => false }, signInLimiter: new SignInLimiter(1000) });
  hubUrl = `https://localhost:${new URL(hub.url).port}/`;
  admin = await signIn(site.app, ADMIN.login, ADMIN.password);
});

afterAll(async () => {
  await hub?.close();
  site?.close();
});

describe('LAN hub', () => {
  it('speaks TLS only, with the certificate whose fingerprint the hub shows', async () => {
    expect(hub.url).toMatch(/^https:\/\//);
    const presented = await presentedCertificate(hubUrl);
    expect(presented.fingerprint).toBe(tls.fingerprint);
    const plain = await new Promise<string>((resolve) => {
      const s = tlsConnect({ host: '127.0.0.1', port: Number(new URL(hubUrl).port), rejectUnauthorized: true }, () => resolve('accepted'));
      s.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
    });
    // An unknown self-signed certificate is not trusted by default: browsers warn, satellites pin.
    expect(plain).toMatch(/SELF_SIGNED|UNABLE|CERT/);
  });

  it('an unpaired device reaches only the pairing page and the health check', async () => {
    expect((await send('/health')).status).toBe(200);
    const page = await send('/');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/appairage');
    const pairing = await send('/appairage');
    expect(pairing.status).toBe(200);
    expect(pairing.body).toContain('Appairer ce poste avec le hub de ESC Cleunay');
    expect(pairing.body).toContain(tls.fingerprint);
    expect(String(pairing.headers['content-security-policy'])).toContain("default-src 'none'");
    const api = await send('/rpc', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: rpcBody });
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body).error).toMatch(/Poste non appairé/);
    expect(await wsOpens({})).toBe(false);
    // A malformed cookie is just not a device (and does not bring the hub down).
    expect(await wsOpens({ Cookie: 'esc_device=%E0%A4%A' })).toBe(false);
    expect((await send('/health')).status).toBe(200);
  });

  it('a browser pairs with the one-time code, once; the device then uses the hub; revoked, it cannot', async () => {
    const noCode = await send('/appairage', form({ code: 'AAAA-BBBB-CCCC', name: 'Bureau CDAS 2' }));
    expect(noCode.status).toBe(400);
    expect(noCode.body).toContain('Aucun code d’appairage valide');

    const { code, expiresAt } = await rpc(site.app, admin, 'devices.pairingCode', {});
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(Date.parse(expiresAt) - site.clock.now().getTime()).toBe(10 * 60_000);
    const wrong = await send('/appairage', form({ code: 'ZZZZ-ZZZZ-ZZZZ', name: 'Bureau CDAS 2' }));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('Code d’appairage erroné');
    expect(wrong.body).toContain('value="Bureau CDAS 2"');

    const ok = await send('/appairage', form({ code: code.toLowerCase().replace(/-/g, ' '), name: 'Bureau CDAS 2' }));
    expect(ok.status).toBe(303);
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/^esc_device=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    const token = cookie.split(';')[0]!;
    const api = await send('/rpc', { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: token }, body: rpcBody });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body).result.me.login).toBe('admin');
    expect(await wsOpens({ Cookie: token })).toBe(true);

    // One use only.
    const again = await send('/appairage', form({ code, name: 'Autre poste' }));
    expect(again.body).toContain('Aucun code d’appairage valide');

    // A socket opened before the revocation is closed at its next message.
    const u = new URL(hubUrl);
    const open = new WebSocket(`wss://localhost:${u.port}/rpc`, { ca: tls.cert, headers: { Cookie: token } });
    await new Promise((r) => open.on('open', r));
    const closed = new Promise<number>((r) => open.on('close', (code) => r(code)));

    const listed = await rpc(site.app, admin, 'devices.list', {});
    expect(listed.devices).toHaveLength(1);
    expect(listed.devices[0]).toMatchObject({ name: 'Bureau CDAS 2', revokedAt: null, lastAddress: '127.0.0.1' });
    await rpc(site.app, admin, 'devices.revoke', { id: listed.devices[0]!.id });
    expect((await send('/rpc', { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: token }, body: rpcBody })).status).toBe(401);
    expect(await wsOpens({ Cookie: token })).toBe(false);
    open.send(rpcBody);
    expect(await closed).toBe(4401);
    const journal = site.store.sqlite.prepare("SELECT action FROM audit_log WHERE entity = 'device' ORDER BY at, rowid").all() as { action: string }[];
    expect(journal.map((j) => j.action)).toEqual(['device.pairing_code', 'device.pair_failed', 'device.pair', 'device.revoke']);
  });

  it('five wrong codes lock this machine out of the code; the code stays valid for the desk it was given for', async () => {
    await rpc(site.app, admin, 'devices.pairingCode', {});
    for (let i = 0; i < 4; i++) expect((await send('/appairage', form({ code: `WRONG-${i}`, name: 'Poste' }))).body).toContain('Code d’appairage erroné');
    expect((await send('/appairage', form({ code: 'WRONG-5', name: 'Poste' }))).body).toContain('trop d’essais depuis ce poste');
    expect((await rpc(site.app, admin, 'devices.list', {})).activeCodeExpiresAt).not.toBeNull();
  });

  it('a pinning satellite pairs by proof over the certificate it saw, and trusts only that certificate', async () => {
    const { code } = await rpc(site.app, admin, 'devices.pairingCode', {});
    const config = await pairSatellite(hubUrl, code, 'Poste accueil 3');
    expect(config.fingerprint).toBe(tls.fingerprint);
    // The desktop satellite compares Electron's form of the same fingerprint.
    const der = Buffer.from(tls.cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(electronFingerprint(config.fingerprint)).toBe(`sha256/${createHash('sha256').update(der).digest('base64')}`);
    const api = await pinnedRequest(config, '/rpc', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Esc-Device': config.deviceToken },
      body: rpcBody,
    });
    expect(api.status).toBe(200);

    // A man in the middle with its own certificate, relaying to the hub.
    const mitmTls = await generateHubCertificate('Faux hub', { dns: ['localhost'], ips: ['127.0.0.1'] });
    const hubPort = Number(new URL(hubUrl).port);
    const mitm: TlsServer = createTlsServer({ cert: mitmTls.cert, key: mitmTls.key }, (client) => {
      const upstream = tlsConnect({ host: '127.0.0.1', port: hubPort, rejectUnauthorized: false });
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => mitm.listen(0, '127.0.0.1', r));
    const mitmUrl = `https://localhost:${(mitm.address() as { port: number }).port}/`;
    try {
      // The pinned satellite refuses the other certificate before sending anything.
      await expect(pinnedRequest({ ...config, hubUrl: mitmUrl }, '/rpc', { method: 'POST', body: rpcBody })).rejects.toThrow('Certificat du hub différent de celui appairé');
      // Pairing through it fails: the proof covers the certificate the satellite saw.
      const { code: code2 } = await rpc(site.app, admin, 'devices.pairingCode', {});
      await expect(pairSatellite(mitmUrl, code2, 'Poste piégé')).rejects.toThrow(/Code d’appairage erroné/);
      expect((await rpc(site.app, admin, 'devices.list', {})).devices.map((d) => d.name)).not.toContain('Poste piégé');
    } finally {
      mitm.close();
    }
  });

  it('only administration manages devices', async () => {
    const { signInAs } = await import('../fixtures/site');
    const coord = await signInAs(site, 'coord', 'coordinateur');
    const { rpcRaw } = await import('../fixtures/site');
    expect(await rpcRaw(site.app, coord, 'devices.pairingCode', {})).toMatchObject({ error: { code: -32003 } });
  });
});
