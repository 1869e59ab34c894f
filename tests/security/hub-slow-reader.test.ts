/**
 * Issue 13 item 8, output back-pressure: a client that asks and never reads must not make the hub
 * hold its answers in memory. The hub stops reading and answering a socket whose output is not
 * drained, and cuts it when it stays so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { raw, sleep, startTestHub, type TestHub } from './hub-helpers';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ limits: { wsSendStallMs: 3000 } });
});
afterAll(() => t.close());

const hubMemory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

describe('a client that never reads', () => {
  it('does not grow the hub: reading and answering stop while its output is not drained, then it is cut', async () => {
    const before = hubMemory();
    const reader = new WebSocket(`ws://127.0.0.1:${t.port}/rpc`);
    await new Promise((r) => reader.on('open', r));
    // It stops reading at once (its receive window fills), then asks for the 240 KB schema 400 times:
    // about 100 MB of answers if the hub kept them for it.
    reader.pause();
    const ask = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'rpc.schema' });
    for (let i = 0; i < 400; i++) reader.send(ask);
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      await sleep(100);
      peak = Math.max(peak, hubMemory() - before);
    }
    expect(peak, `hub grew by ${Math.round(peak / 1e6)} MB`).toBeLessThan(30e6);
    // Everyone else is still served.
    expect((await raw({ port: t.port, path: '/health' })).status).toBe(200);
    // Its output stays stalled: the hub cuts it (configured 3 s here). Reading again, the client
    // finds its connection closed.
    const closed = new Promise<boolean>((resolve) => {
      reader.on('close', () => resolve(true));
      reader.on('error', () => undefined);
      setTimeout(() => resolve(false), 8000);
    });
    await sleep(3500);
    reader.resume();
    expect(await closed).toBe(true);
    reader.terminate();
  }, 30_000);
});
