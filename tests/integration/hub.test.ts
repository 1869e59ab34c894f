/** The site hub over real HTTP and WebSocket on loopback. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningHub } from '../../src/main/hub/server';
import { startTestHub, type TestHub } from '../fixtures/hub';
import { ADMIN } from '../fixtures/site';

let t: TestHub;
let hub: RunningHub;

beforeAll(async () => {
  ({ hub } = t = await startTestHub({ staticDir: null }));
});
afterAll(() => t.close());

async function post(body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL('rpc', hub.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function openSocket(): Promise<{ ws: WebSocket; call: (method: string, params: unknown) => Promise<Record<string, unknown>>; events: { method: string; params: unknown }[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(new URL('rpc', hub.url.replace('http', 'ws')));
    const waiting = new Map<number, (v: Record<string, unknown>) => void>();
    const events: { method: string; params: unknown }[] = [];
    let id = 0;
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      if (typeof msg.id === 'number') waiting.get(msg.id)?.(msg);
      else events.push(msg as { method: string; params: unknown });
    });
    ws.on('open', () =>
      resolve({
        ws,
        events,
        call: (method, params) =>
          new Promise((r) => {
            const n = ++id;
            waiting.set(n, r);
            ws.send(JSON.stringify({ jsonrpc: '2.0', id: n, method, params }));
          }),
      }),
    );
    ws.on('error', reject);
  });
}

describe('hub', () => {
  it('serves /health and /rpc/schema', async () => {
    const health = (await (await fetch(new URL('health', hub.url))).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', site: 'BLOSNE' });
    const schema = (await (await fetch(new URL('rpc/schema', hub.url))).json()) as { methods: Record<string, unknown> };
    expect(Object.keys(schema.methods)).toContain('accounts.create');
  });

  it('answers invalid params with VALIDATION and the failing path over HTTP', async () => {
    const login = await post({ jsonrpc: '2.0', id: 1, method: 'session.login', params: ADMIN });
    const token = (login.json.result as { token: string }).token;
    const r = await post({ jsonrpc: '2.0', id: 2, method: 'accounts.create', params: { login: 'x', role: 'chef' } }, token);
    expect(r.json.error).toMatchObject({ data: { code: 'VALIDATION' } });
    const paths = ((r.json.error as { data: { issues: { path: string }[] } }).data.issues ?? []).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['login', 'role', 'displayName', 'password']));
  });

  it('answers a body that is not JSON with a parse error', async () => {
    const r = await post('{pas du json');
    expect(r.json.error).toMatchObject({ code: -32700, data: { code: 'VALIDATION' } });
  });

  it('pushes events over WebSocket to signed-in administrators only', async () => {
    const adminWs = await openSocket();
    await adminWs.call('session.login', ADMIN);
    const anonymous = await openSocket();
    const created = await adminWs.call('accounts.create', { login: 'nouvel.agent', displayName: 'Nouvel Agent', role: 'agent_accueil', password: 'provisoire-tilleul-47' });
    expect(created.result).toMatchObject({ login: 'nouvel.agent' });
    await new Promise((r) => setTimeout(r, 100));
    expect(adminWs.events.map((e) => e.method)).toContain('accounts.changed');
    expect(anonymous.events).toEqual([]);
    adminWs.ws.close();
    anonymous.ws.close();
  });

  it('re-attaches a session on a new socket with session.resume', async () => {
    const login = await post({ jsonrpc: '2.0', id: 1, method: 'session.login', params: ADMIN });
    const token = (login.json.result as { token: string }).token;
    const s = await openSocket();
    const resumed = await s.call('session.resume', { token });
    expect(resumed.result).toMatchObject({ me: { login: 'admin' } });
    const me = await s.call('session.me', {});
    expect(me.result).toMatchObject({ login: 'admin' });
    s.ws.close();
  });
});
