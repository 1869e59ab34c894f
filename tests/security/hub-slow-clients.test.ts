/**
 * Issue 13 item 14: slow clients are cut within the configured time (headers dripped byte by byte,
 * a body dripped, a connection that says nothing, a TLS handshake never finished, a WebSocket
 * that never answers pings), and one machine cannot hold more than its share of connections while
 * another still gets in. Limits are set short here so that the tests run fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { generateHubCertificate } from '../../src/main/hub/tls';
import { raw, sleep, startTestHub, type TestHub } from './hub-helpers';

const LIMITS = {
  headersTimeoutMs: 800,
  requestTimeoutMs: 1500,
  bodyTimeoutMs: 1000,
  keepAliveTimeoutMs: 500,
  idleTimeoutMs: 1500,
  tlsHandshakeTimeoutMs: 800,
  wsPingIntervalMs: 400,
  maxConnectionsPerAddress: 5,
  maxConnections: 40,
};

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ limits: LIMITS });
});
afterAll(() => t.close());

interface Probe {
  socket: Socket;
  received: () => string;
  /** Milliseconds from connection to close, or null if still open after `withinMs`. */
  closedAfter: (withinMs: number) => Promise<number | null>;
}

function probe(port: number, localAddress: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let data = '';
    let closedAt: number | null = null;
    const started = Date.now();
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => (closedAt = Date.now()));
    socket.on('connect', () =>
      resolve({
        socket,
        received: () => data,
        closedAfter: async (withinMs) => {
          while (closedAt === null && Date.now() - started < withinMs) await sleep(25);
          return closedAt === null ? null : closedAt - started;
        },
      }),
    );
    socket.on('error', reject);
  });
}

/** Writes `chunks` one by one every `everyMs` while the socket is open. */
function drip(p: Probe, chunks: string[], everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (p.socket.destroyed || i >= chunks.length) return clearInterval(timer);
    p.socket.write(chunks[i++]!);
  }, everyMs);
}

describe('slow clients are cut', () => {
  it('headers dripped one line at a time', async () => {
    const p = await probe(t.port, '127.0.0.5');
    p.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    drip(p, Array.from({ length: 200 }, (_, i) => `X-Lent-${i}: a\r\n`), 100);
    const after = await p.closedAfter(6000);
    expect(after, 'still open after 6 s').not.toBeNull();
    expect(after!).toBeLessThan(3000);
    expect(p.received()).not.toContain('200 OK');
  });

  it('a body dripped byte by byte', async () => {
    const p = await probe(t.port, '127.0.0.5');
    p.socket.write(`POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{`);
    drip(p, Array.from({ length: 500 }, () => ' '), 50);
    const after = await p.closedAfter(6000);
    expect(after, 'still open after 6 s').not.toBeNull();
    expect(after!).toBeLessThan(3000);
  });

  it('a connection that never says anything', async () => {
    const p = await probe(t.port, '127.0.0.5');
    const after = await p.closedAfter(6000);
    expect(after, 'still open after 6 s').not.toBeNull();
    expect(after!).toBeLessThan(3500);
  });

  it('a TLS handshake never finished', async () => {
    const tls = await generateHubCertificate('hub test', { dns: ['localhost'], ips: ['127.0.0.1'] });
    const lan = await startTestHub({ tls, limits: { ...LIMITS, idleTimeoutMs: 60_000 } });
    try {
      const p = await probe(lan.port, '127.0.0.5');
      p.socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff])); // a ClientHello that never comes
      const after = await p.closedAfter(6000);
      expect(after, 'still open after 6 s').not.toBeNull();
      expect(after!).toBeLessThan(3000);
    } finally {
      await lan.close();
    }
  });

  it('a WebSocket that never answers pings', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}/rpc`, { autoPong: false, localAddress: '127.0.0.5' });
    const started = Date.now();
    const closed = new Promise<number | null>((resolve) => {
      ws.on('close', () => resolve(Date.now() - started));
      ws.on('error', () => undefined);
      setTimeout(() => resolve(null), 6000);
    });
    const after = await closed;
    expect(after, 'still open after 6 s').not.toBeNull();
    expect(after!).toBeLessThan(3000);
  });

  it('a WebSocket that answers pings stays open, idle', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}/rpc`, { localAddress: '127.0.0.5' });
    let closed = false;
    ws.on('close', () => (closed = true));
    await new Promise((r) => ws.on('open', r));
    await sleep(2500);
    expect(closed).toBe(false);
    ws.close();
  });
});

describe('connections per address', () => {
  it('excess connections from one address are refused while another address still gets in', async () => {
    const held: Probe[] = [];
    for (let i = 0; i < LIMITS.maxConnectionsPerAddress; i++) held.push(await probe(t.port, '127.0.0.6'));
    await sleep(50);
    const excess = await probe(t.port, '127.0.0.6');
    excess.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await excess.closedAfter(1000)).not.toBeNull();
    expect(excess.received()).not.toContain('200 OK');
    // Another machine is served at the same moment.
    expect((await raw({ port: t.port, path: '/health', localAddress: '127.0.0.7' })).status).toBe(200);
    // The first five were not disturbed, and once they leave the address is served again.
    expect(held.every((p) => !p.socket.destroyed)).toBe(true);
    for (const p of held) p.socket.destroy();
    await sleep(100);
    expect((await raw({ port: t.port, path: '/health', localAddress: '127.0.0.6' })).status).toBe(200);
  });

  it('the hub as a whole takes a bounded number of connections', async () => {
    const small = await startTestHub({ limits: { ...LIMITS, maxConnections: 3 } });
    try {
      const held = [await probe(small.port, '127.0.0.8'), await probe(small.port, '127.0.0.9'), await probe(small.port, '127.0.0.10')];
      await sleep(50);
      const excess = await probe(small.port, '127.0.0.11');
      expect(await excess.closedAfter(1000)).not.toBeNull();
      for (const p of held) p.socket.destroy();
      await sleep(100);
      expect((await raw({ port: small.port, path: '/health', localAddress: '127.0.0.11' })).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
