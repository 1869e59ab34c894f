/**
 * Hostile input, at scale, over both network transports: every method of rpc.schema (and unknown
 * ones) receives malformed payloads (wrong types, huge strings, deep nesting, prototype-pollution
 * keys, SQL fragments). Each gets a JSON-RPC error, the hub stays up, the database is unchanged.
 * ESC_FUZZ_RUNS raises the number of payloads per method (default keeps CI fast).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHub, type RunningHub } from '../../src/main/hub/server';
import { METHODS } from '../../src/shared/api/contract';
import { ADMIN, createTestSite, signInAs, snapshot, type TestSite } from '../fixtures/site';

const RUNS = Number(process.env.ESC_FUZZ_RUNS ?? 40);

let site: TestSite;
let hub: RunningHub;
let adminToken: string;
let coordToken: string;

beforeAll(async () => {
  site = await createTestSite();
  // The campaign sends thousands of requests a second from one address: rates are not under test here.
  hub = await startHub({ app: site.app, host: '127.0.0.1', port: 0, staticDir: null, limits: { addressRate: 1e6, addressBurst: 1e6, connectionRate: 1e6, connectionBurst: 1e6 } });
  const login = async (params: unknown) =>
    ((await (await fetch(new URL('rpc', hub.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.login', params }) })).json()) as { result: { token: string } }).result.token;
  adminToken = await login(ADMIN);
  await signInAs(site, 'coord', 'coordinateur', null);
  coordToken = await login({ login: 'coord', password: 'coord-password-1' });
});
afterAll(async () => {
  await hub.close();
  site.close();
});

const SQL = ["'; DROP TABLE accounts; --", "1 OR 1=1", "\" OR \"\"=\"", 'x\u0000y', "Robert'); DELETE FROM contacts;--"];
const POLLUTION = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** A value of any shape, with the hostile ingredients mixed in. */
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constantFrom(...SQL),
    fc.string({ maxLength: 30 }),
    fc.string({ minLength: 5000, maxLength: 20000 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...POLLUTION), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
}));

/** Params that can never be valid: not an object, or an object carrying an undeclared key. */
const invalidParams = fc.oneof(
  fc.constantFrom(...SQL),
  fc.integer(),
  fc.array(hostileValue.value, { maxLength: 3 }),
  fc
    .tuple(fc.dictionary(fc.string({ maxLength: 10 }), hostileValue.value, { maxKeys: 5 }), fc.constantFrom(...POLLUTION, 'champ_inconnu', 'sql; --'), hostileValue.value)
    .map(([base, key, v]) => {
      const o = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
      Object.defineProperty(o, key, { value: v, enumerable: true, configurable: true, writable: true });
      return o;
    }),
  fc.nat(60).map((depth) => {
    let v: unknown = { fin: true };
    for (let i = 0; i < 40 + depth; i++) v = i % 2 ? { niveau: v } : [v];
    return v;
  }),
);

function tokenFor(method: string): string {
  const known = Object.hasOwn(METHODS, method) ? METHODS[method as keyof typeof METHODS] : undefined;
  return known?.permission === 'accounts.manage' ? adminToken : coordToken;
}

async function overHttp(method: string, params: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(new URL('rpc', hub.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokenFor(method)}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }),
  });
  return (await res.json()) as Record<string, unknown>;
}

function socket(): Promise<{ send(method: string, params: unknown): Promise<Record<string, unknown>>; close(): void }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(hub.url.replace('http', 'ws') + 'rpc');
    let next = 0;
    const waiting = new Map<number, (v: Record<string, unknown>) => void>();
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as Record<string, unknown>;
      if (typeof m.id === 'number') waiting.get(m.id)?.(m);
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        send: (method, params) =>
          new Promise((r) => {
            const id = ++next;
            waiting.set(id, r);
            ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
          }),
        close: () => ws.close(),
      }),
    );
  });
}

describe('fuzzing every method with hostile params', () => {
  it('answers each with a JSON-RPC error over HTTP and WebSocket, stays up, and changes nothing', async () => {
    const before = snapshot(site.store);
    const ws = await socket();
    await ws.send('session.resume', { token: coordToken });
    const methods = [...Object.keys(METHODS), 'rpc.inconnue', '__proto__', 'constructor', 'queue.add; DROP TABLE'];
    for (const method of methods) {
      await fc.assert(
        fc.asyncProperty(invalidParams, async (params) => {
          const viaHttp = await overHttp(method, params);
          expect(viaHttp.error, `${method} over HTTP`).toBeDefined();
          expect(viaHttp.result).toBeUndefined();
          const viaWs = await ws.send(method, params);
          expect(viaWs.error, `${method} over WebSocket`).toBeDefined();
        }),
        { numRuns: RUNS },
      );
    }
    ws.close();
    const health = (await (await fetch(new URL('health', hub.url))).json()) as { status: string };
    expect(health.status).toBe('ok');
    expect(snapshot(site.store)).toBe(before);
  }, 300_000);

  it('answers garbage bodies and envelopes with an error, never a crash', async () => {
    for (const body of ['', '{', 'null', '[]', '[1,2]', '"texte"', JSON.stringify({ jsonrpc: '2.0', method: 42 }), 'x'.repeat(2_000_000)]) {
      const res = await fetch(new URL('rpc', hub.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expect([200, 413]).toContain(res.status);
      const json = (await res.json()) as Record<string, unknown> | Record<string, unknown>[];
      const first = Array.isArray(json) ? json[0]! : json;
      expect(first.error).toBeDefined();
    }
    const health = (await (await fetch(new URL('health', hub.url))).json()) as { status: string };
    expect(health.status).toBe('ok');
  });
});
