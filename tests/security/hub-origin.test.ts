/**
 * Issue 13 item 4: a page from another origin must not drive the hub. `POST /rpc` takes JSON only
 * (a cross-site "simple" request can only send text/plain, form or multipart bodies); a browser
 * request or WebSocket upgrade whose Origin is not the hub's own is refused; a Host header that is
 * not one of the hub's names (DNS rebinding) is refused. Clients that send no Origin (CLI,
 * satellites, scripts) keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccount } from '../../src/main/core/accounts/accounts';
import { loginBody, raw, startTestHub, type TestHub } from './hub-helpers';

let t: TestHub;
let own: string;

beforeAll(async () => {
  t = await startTestHub();
  own = `http://127.0.0.1:${t.port}`;
  await createAccount(t.site.app.core, null, { login: 'agent', displayName: 'Agent', role: 'agent_accueil', institution: 'CCAS', password: 'agent-password-1', mustChangePassword: false });
});
afterAll(() => t.close());

const failedAttempts = () => (t.site.store.sqlite.prepare("SELECT failed_attempts AS n, locked_until AS lockedUntil FROM accounts WHERE login = 'agent'").get() as { n: number; lockedUntil: string | null });

function upgrade(headers: Record<string, string>): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}/rpc`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode });
      res.resume();
    });
    ws.on('error', () => resolve({ opened: false }));
  });
}

describe('cross-origin requests', () => {
  it('a cross-origin text/plain fetch cannot lock an account', async () => {
    // What a page on another site can send without a CORS preflight: text/plain, with its Origin.
    for (let i = 0; i < 6; i++) {
      const r = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: 'http://evil.example' }, body: loginBody('agent', `mauvais-${i}`) });
      expect([403, 415]).toContain(r.status);
    }
    expect(failedAttempts()).toEqual({ n: 0, lockedUntil: null });
    // The person can still sign in at the desk.
    const ok = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: { 'Content-Type': 'application/json', Origin: own }, body: loginBody('agent', 'agent-password-1') });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.me.login).toBe('agent');
  });

  it('POST /rpc requires application/json (415, French message), from any client', async () => {
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const r = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: type ? { 'Content-Type': type } : {}, body: loginBody('agent', 'mauvais') });
      expect(r.status, String(type)).toBe(415);
      const json = JSON.parse(r.body) as { error: { message: string; data: { code: string } } };
      expect(json.error.message).toMatch(/application\/json/);
      expect(json.error.message).toMatch(/^Type de contenu/);
    }
    expect(failedAttempts().n).toBe(0);
    const json = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: { 'Content-Type': 'Application/JSON; charset=utf-8' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'site.info' }) });
    expect(json.status).toBe(200);
  });

  it('a browser request from another origin is refused even with a JSON body; the hub’s own origin and clients without Origin are served', async () => {
    const foreign = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' }, body: loginBody('agent', 'mauvais') });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error).toMatch(/origine/i);
    const nullOrigin = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: { 'Content-Type': 'application/json', Origin: 'null' }, body: loginBody('agent', 'mauvais') });
    expect(nullOrigin.status).toBe(403);
    // Same host, another port: another origin.
    const otherPort = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${t.port + 1}` }, body: loginBody('agent', 'mauvais') });
    expect(otherPort.status).toBe(403);
    expect(failedAttempts().n).toBe(0);

    const self = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: { 'Content-Type': 'application/json', Origin: own }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'site.info' }) });
    expect(self.status).toBe(200);
    const cli = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'site.info' }) });
    expect(cli.status).toBe(200);
  });

  it('a WebSocket upgrade from another origin is refused; from the hub’s own page or without Origin it opens', async () => {
    expect(await upgrade({ Origin: 'http://evil.example' })).toEqual({ opened: false, status: 403 });
    expect(await upgrade({ Origin: `http://localhost:${t.port + 1}` })).toEqual({ opened: false, status: 403 });
    expect(await upgrade({ Origin: own })).toEqual({ opened: true });
    expect(await upgrade({ Origin: `http://localhost:${t.port}`, Host: `localhost:${t.port}` })).toEqual({ opened: true });
    expect(await upgrade({})).toEqual({ opened: true });
  });
});

describe('DNS rebinding', () => {
  it('a Host that is not one of the hub’s names is refused, for pages, the API and WebSocket', async () => {
    // evil.example resolved to 127.0.0.1 by the attacker: the browser sends its own name as Host
    // and considers the page same-origin with evil.example.
    const page = await raw({ port: t.port, path: '/', headers: { Host: `evil.example:${t.port}` } });
    expect(page.status).toBe(421);
    expect(page.body).not.toContain('<div id="root">');
    const api = await raw({ port: t.port, method: 'POST', path: '/rpc', headers: { Host: `evil.example:${t.port}`, Origin: `http://evil.example:${t.port}`, 'Content-Type': 'application/json' }, body: loginBody('agent', 'mauvais') });
    expect(api.status).toBe(421);
    const schema = await raw({ port: t.port, path: '/rpc/schema', headers: { Host: `evil.example:${t.port}` } });
    expect(schema.status).toBe(421);
    expect((await upgrade({ Host: `evil.example:${t.port}`, Origin: `http://evil.example:${t.port}` })).opened).toBe(false);
    expect(failedAttempts().n).toBe(0);
  });

  it('the loopback names of the hub machine are its names', async () => {
    for (const host of [`127.0.0.1:${t.port}`, `localhost:${t.port}`, `LOCALHOST:${t.port}`, `[::1]:${t.port}`]) {
      const r = await raw({ port: t.port, path: '/', headers: { Host: host } });
      expect(r.status, host).toBe(200);
      expect(r.body).toContain('<div id="root">');
    }
    // The /health check answers the hub's names only too.
    expect((await raw({ port: t.port, path: '/health', headers: { Host: `127.0.0.1:${t.port}` } })).status).toBe(200);
    expect((await raw({ port: t.port, path: '/health', headers: { Host: 'rebind.attacker.test' } })).status).toBe(421);
  });
});
