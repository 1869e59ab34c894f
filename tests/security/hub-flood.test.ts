/**
 * Issue 13 item 8, flooding: one anonymous WebSocket sending 20 000 messages must not take the hub
 * from the others (/health and the queue keep answering), its queue of waiting messages is capped
 * (the socket is closed with a clear code), and a small batch cannot make a huge answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccount } from '../../src/main/core/accounts/accounts';
import { loginBody, raw, sleep, startTestHub, type TestHub } from './hub-helpers';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
  await createAccount(t.site.app.core, null, { login: 'agent', displayName: 'Agent', role: 'agent_accueil', institution: 'CCAS', password: 'agent-password-1', mustChangePassword: false });
});
afterAll(() => t.close());

function open(localAddress?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}/rpc`, localAddress ? { localAddress } : {});
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

function call(ws: WebSocket, message: unknown, id: number | string): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const text = data.toString();
      const parsed = JSON.parse(text) as { id?: unknown } | { id?: unknown }[];
      const got = Array.isArray(parsed) ? parsed[0]?.id : parsed.id;
      if (got === id) {
        ws.off('message', onMessage);
        resolve(text);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(message));
  });
}

async function timedHealth(): Promise<number> {
  const started = performance.now();
  const r = await raw({ port: t.port, path: '/health', localAddress: '127.0.0.4' });
  expect(r.status).toBe(200);
  return performance.now() - started;
}

describe('one socket flooding the hub', () => {
  it('20 000 messages on one anonymous socket: /health and the queue keep answering, the flood is cut', async () => {
    const flooder = await open();
    const closed = new Promise<{ code: number; reason: string }>((resolve) => flooder.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    let answers = 0;
    flooder.on('message', () => answers++);
    const message = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.me' });
    for (let i = 0; i < 20_000; i++) flooder.send(message);

    // Meanwhile, an agent at another desk signs in and reads the queue.
    const desk = await open('127.0.0.3');
    const healthTimes: number[] = [];
    healthTimes.push(await timedHealth());
    const login = JSON.parse(await call(desk, JSON.parse(loginBody('agent', 'agent-password-1', 'login')), 'login')) as { result?: unknown };
    expect(login.result).toBeDefined();
    healthTimes.push(await timedHealth());
    const queue = JSON.parse(await call(desk, { jsonrpc: '2.0', id: 'q', method: 'queue.list', params: {} }, 'q')) as { result?: unknown; error?: unknown };
    expect(queue.error).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      await sleep(100);
      healthTimes.push(await timedHealth());
    }
    expect(Math.max(...healthTimes), `health times ${healthTimes.map((x) => Math.round(x)).join(', ')} ms`).toBeLessThan(1000);

    // The flooding socket is closed with a clear code once its waiting queue is over the cap,
    // long before its 20 000 messages are answered.
    const end = await closed;
    expect(end.code).toBe(1008);
    expect(end.reason).toMatch(/Trop de requêtes/);
    expect(answers).toBeLessThan(20_000);
    desk.close();
  }, 60_000);

  it('a 2.4 KB batch cannot produce a huge answer: rpc.schema once per batch', async () => {
    const ws = await open();
    const batch = Array.from({ length: 50 }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'rpc.schema' }));
    expect(JSON.stringify(batch).length).toBeLessThan(2600);
    const text = await call(ws, batch, 1);
    const single = (await raw({ port: t.port, path: '/rpc/schema' })).body;
    // One schema, not fifty.
    expect(text.length).toBeLessThan(single.length + 50 * 300);
    const answers = JSON.parse(text) as { id: number; result?: unknown; error?: { message: string } }[];
    expect(answers).toHaveLength(50);
    expect(answers[0]!.result).toEqual(JSON.parse(single));
    for (const a of answers.slice(1)) expect(a.error?.message).toMatch(/une seule fois par lot/);
    ws.close();
  });

  it('a batch whose answers grow past the cap stops there: the rest is not run and says so', async () => {
    // A busy day: 400 tickets, whose list is about 100 KB.
    const { signIn } = await import('../fixtures/site');
    const { rpc } = await import('../fixtures/site');
    const agent = await signIn(t.site.app, 'agent', 'agent-password-1');
    for (let i = 0; i < 400; i++) await rpc(t.site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL', firstName: `Visiteur${i}` });
    const ws = await open();
    await call(ws, { jsonrpc: '2.0', id: 'r', method: 'session.resume', params: { token: agent.token } }, 'r');
    const batch = [
      ...Array.from({ length: 30 }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'queue.list', params: {} })),
      { jsonrpc: '2.0', id: 31, method: 'queue.add', params: { serviceCode: 'ACCUEIL' } },
    ];
    const before = (t.site.store.sqlite.prepare('SELECT count(*) AS n FROM queue_entries').get() as { n: number }).n;
    const text = await call(ws, batch, 1);
    const answers = JSON.parse(text) as { id: number; result?: unknown; error?: { message: string } }[];
    expect(answers).toHaveLength(31);
    expect(text.length).toBeLessThan(1.5 * 1024 * 1024);
    const refused = answers.filter((a) => a.error);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) expect(a.error!.message).toMatch(/Réponse trop volumineuse/);
    // The refused mutation at the end did not happen.
    expect(answers[30]!.error).toBeDefined();
    expect((t.site.store.sqlite.prepare('SELECT count(*) AS n FROM queue_entries').get() as { n: number }).n).toBe(before);
    ws.close();
  }, 60_000);

  it('requests are metered per address over HTTP (429, French) and per connection over WebSocket (delayed, in order, none lost)', async () => {
    const metered = await startTestHub({ limits: { addressRate: 2, addressBurst: 5, connectionRate: 2, connectionBurst: 3 } });
    try {
      const post = (localAddress: string) =>
        raw({ port: metered.port, method: 'POST', path: '/rpc', localAddress, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'display.board' }) });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await post('127.0.0.20')).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const refused = await post('127.0.0.20');
      expect(JSON.parse(refused.body).error.message).toMatch(/^Trop de requêtes depuis ce poste/);
      // Another machine is not affected.
      expect((await post('127.0.0.21')).status).toBe(200);

      // Over WebSocket the same excess waits its turn instead: every answer comes, in order.
      const ws = await new Promise<WebSocket>((resolve, reject) => {
        const s = new WebSocket(`ws://127.0.0.1:${metered.port}/rpc`, { localAddress: '127.0.0.22' });
        s.on('open', () => resolve(s));
        s.on('error', reject);
      });
      const ids: number[] = [];
      const all = new Promise<void>((resolve) =>
        ws.on('message', (d) => {
          const m = JSON.parse(d.toString()) as { id: number; result?: unknown };
          expect(m.result).toBeDefined();
          ids.push(m.id);
          if (ids.length === 8) resolve();
        }),
      );
      for (let i = 1; i <= 8; i++) ws.send(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'display.board' }));
      await all;
      expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      ws.close();
    } finally {
      await metered.close();
    }
  }, 30_000);
});
