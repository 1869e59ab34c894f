/**
 * One WebSocket client of the hub (decision 008). Its messages are handled one after the other,
 * in order, each in its own turn of the event loop so that the rest of the hub (other desks,
 * `/health`) runs in between, and at the request rate allowed to the connection and to its
 * address. Flow control, so that one client cannot make the hub hold unbounded memory for it:
 * - reading stops while `wsPauseAt` messages wait, and the socket is closed (1008, with a French
 *   reason) if `wsMaxPending` are waiting all the same;
 * - answering and reading stop while the client has not taken `wsMaxBufferedBytes` of output,
 *   and the socket is cut if that lasts `wsSendStallMs`;
 * - a ping every `wsPingIntervalMs`; a socket that has not answered the previous one is cut.
 */
import type { RawData, WebSocket } from 'ws';
import type { EventName } from '../../shared/api/contract';
import type { JsonRpcNotification, JsonRpcResponse } from '../../shared/api/jsonrpc';
import type { App } from '../api/app';
import { Router } from '../api/router';
import type { Connection } from '../api/types';
import { encodeResponse } from './encode';
import { TokenBucket, type HubLimits } from './limits';
import { limitSignIn, type SignInLimiter } from './rate-limit';

export const OVERLOAD_CLOSE = { code: 1008, reason: 'Trop de requêtes en attente sur cette connexion' } as const;

export interface SocketContext {
  app: App;
  address: string;
  limits: HubLimits;
  /** The request budget of the client's address, shared with its other connections. */
  addressRate: TokenBucket;
  signInLimiter: SignInLimiter;
  /** Still a paired (or trusted) device: checked at every message and event. */
  deviceOk: () => boolean;
  /** Set when this hub cannot serve the client's contract version: the answer to every call (hub/contract-check.ts). */
  refuse?: ((message: unknown) => JsonRpcResponse | JsonRpcResponse[]) | null | undefined;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function serveSocket(ws: WebSocket, ctx: SocketContext): void {
  const { app, limits } = ctx;
  const conn: Connection = { token: null };
  const rate = new TokenBucket(limits.connectionRate, limits.connectionBurst);
  const waiting: RawData[] = [];
  let running = false;
  let throttled = false;
  let congested = false;
  let finished = false;

  const isOpen = () => ws.readyState === ws.OPEN;

  const updateReading = (): void => {
    if (finished) return;
    if (waiting.length >= limits.wsPauseAt || throttled || congested) ws.pause();
    else ws.resume();
  };

  // Output watch: while the client does not take what was sent, nothing more is answered or read.
  let watch: ReturnType<typeof setInterval> | null = null;
  const drainWaiters: (() => void)[] = [];
  const stopWatch = (): void => {
    if (watch) clearInterval(watch);
    watch = null;
    congested = false;
    updateReading();
    for (const resolve of drainWaiters.splice(0)) resolve();
  };
  const watchOutput = (): void => {
    if (watch || ws.bufferedAmount <= limits.wsMaxBufferedBytes) return;
    congested = true;
    updateReading();
    const since = Date.now();
    watch = setInterval(
      () => {
        if (!isOpen() || ws.bufferedAmount <= limits.wsMaxBufferedBytes) stopWatch();
        else if (Date.now() - since >= limits.wsSendStallMs) {
          ws.terminate();
          stopWatch();
        }
      },
      Math.max(10, Math.min(100, Math.floor(limits.wsSendStallMs / 4))),
    );
  };
  const outputDrained = (): Promise<void> => (congested ? new Promise((resolve) => drainWaiters.push(resolve)) : Promise.resolve());

  const send = (text: string): void => {
    if (!isOpen()) return;
    ws.send(text);
    watchOutput();
  };

  const revoked = (): boolean => {
    if (ctx.deviceOk()) return false;
    ws.close(4401, 'Poste non appairé ou révoqué');
    return true;
  };

  const unsubscribe = app.bus.subscribe({
    principal: () => {
      if (revoked()) return null;
      // A locked desk receives nothing: no event may reveal data behind the lock screen.
      const session = conn.token ? app.services.resolveSession(conn.token) : null;
      return session && !session.locked ? session : null;
    },
    deliver: (name: EventName, payload: unknown) => {
      const note: JsonRpcNotification = { jsonrpc: '2.0', method: name, params: payload };
      send(JSON.stringify(note));
    },
  });

  const handle = async (data: RawData): Promise<void> => {
    if (revoked()) return;
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      send(JSON.stringify(Router.parseError()));
      return;
    }
    // Each request of a batch counts against the connection's and the address's rates.
    const cost = Array.isArray(message) ? Math.min(Math.max(message.length, 1), 51) : 1;
    const wait = Math.max(rate.reserve(cost), ctx.addressRate.reserve(cost));
    if (wait > 0) {
      throttled = true;
      updateReading();
      await sleep(wait);
      throttled = false;
      if (finished || !isOpen()) return;
    }
    const response = ctx.refuse?.(message) ?? limitSignIn(ctx.signInLimiter, ctx.address, message) ?? (await app.router.handle(message, conn));
    if (response !== null) send(encodeResponse(response));
  };

  const pump = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      while (waiting.length > 0 && !finished) {
        await outputDrained();
        if (finished || !isOpen()) break;
        await handle(waiting.shift()!);
        updateReading();
        await nextTurn();
      }
    } finally {
      running = false;
    }
  };

  const overloaded = (): void => {
    finished = true;
    waiting.length = 0;
    ws.close(OVERLOAD_CLOSE.code, OVERLOAD_CLOSE.reason);
    // Read on so that the client's closing frame can arrive; what it sent before is dropped.
    ws.resume();
    setTimeout(() => ws.terminate(), 2000).unref();
  };

  ws.on('message', (data) => {
    if (finished) return;
    if (waiting.length >= limits.wsMaxPending) {
      overloaded();
      return;
    }
    waiting.push(data);
    updateReading();
    void pump();
  });

  let alive = true;
  ws.on('pong', () => (alive = true));
  const ping = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    if (isOpen()) ws.ping();
  }, limits.wsPingIntervalMs);

  ws.on('close', () => {
    finished = true;
    waiting.length = 0;
    clearInterval(ping);
    if (watch) clearInterval(watch);
    for (const resolve of drainWaiters.splice(0)) resolve();
    unsubscribe();
  });
  ws.on('error', () => ws.terminate());
}
