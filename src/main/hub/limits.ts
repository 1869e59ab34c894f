/**
 * The hub's limits against slow, greedy and flooding clients (decision 008): server timeouts,
 * connection caps per client address and overall, request rates per connection and per address,
 * and the WebSocket flow control thresholds. Every limit has a default suited to a site's desks
 * and can be changed by the operator (`ESC_HUB_…` variables) or by tests (short timeouts).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface HubLimits {
  /** Time a client has to send a request's headers (header drip). */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included. */
  requestTimeoutMs: number;
  /** Time the hub waits for a request body it reads (`POST /rpc`, pairing). */
  bodyTimeoutMs: number;
  /** An idle keep-alive connection between two requests is closed after this. */
  keepAliveTimeoutMs: number;
  /**
   * A connection without any traffic either way (a response the client does not take, an HTTP
   * request whose answer takes this long) is closed after this. WebSocket connections are not
   * concerned (they have their ping).
   */
  idleTimeoutMs: number;
  /** Time a client has to finish the TLS handshake (LAN mode). */
  tlsHandshakeTimeoutMs: number;
  /** Simultaneous connections from one client address (a desk: a few tabs and sockets). */
  maxConnectionsPerAddress: number;
  /** Simultaneous connections to the hub in all. */
  maxConnections: number;
  /** WebSocket: a ping every interval; a socket that has not answered the previous one is cut. */
  wsPingIntervalMs: number;
  /** WebSocket: messages waiting their turn beyond which the hub stops reading the socket. */
  wsPauseAt: number;
  /** WebSocket: messages waiting beyond which the socket is closed (1008). */
  wsMaxPending: number;
  /** WebSocket: output not yet taken by the client beyond which the hub stops answering and reading. */
  wsMaxBufferedBytes: number;
  /** WebSocket: output stalled above `wsMaxBufferedBytes` this long cuts the socket. */
  wsSendStallMs: number;
  /** Requests a second (each item of a batch counts) and burst, per connection. */
  connectionRate: number;
  connectionBurst: number;
  /** Requests a second and burst, per client address (all its connections, HTTP and WebSocket). */
  addressRate: number;
  addressBurst: number;
}

export const DEFAULT_LIMITS: HubLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  bodyTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 300_000,
  tlsHandshakeTimeoutMs: 10_000,
  maxConnectionsPerAddress: 64,
  maxConnections: 1024,
  wsPingIntervalMs: 30_000,
  wsPauseAt: 16,
  wsMaxPending: 256,
  wsMaxBufferedBytes: 1024 * 1024,
  wsSendStallMs: 30_000,
  connectionRate: 50,
  connectionBurst: 100,
  addressRate: 200,
  addressBurst: 400,
};

/** `wsSendStallMs` → `ESC_HUB_WS_SEND_STALL_MS`. */
export const envName = (key: keyof HubLimits): string => `ESC_HUB_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** Limits set by the operator in the environment; a value that is not a positive integer is an error. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<HubLimits> {
  const out: Partial<HubLimits> = {};
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof HubLimits)[]) {
    const raw = env[envName(key)];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${envName(key)} doit être un entier positif (reçu « ${raw.slice(0, 20)} »).`);
    out[key] = n;
  }
  return out;
}

export function resolveLimits(partial: Partial<HubLimits> | undefined): HubLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}

/** Node's own slow-client defences, set from the limits (the checks run at a quarter of the shortest). */
export function serverTimeoutOptions(l: HubLimits): { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number; requireHostHeader: true } {
  return {
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: Math.max(l.requestTimeoutMs, l.headersTimeoutMs),
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(Math.min(l.headersTimeoutMs, l.requestTimeoutMs) / 4))),
    requireHostHeader: true,
  };
}

export function applyServerTimeouts(server: Server, l: HubLimits): void {
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  // Without a 'timeout' listener, Node destroys a socket idle this long.
  server.timeout = l.idleTimeoutMs;
}

/** A token bucket: `rate` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
  }

  /** Takes `n` tokens if there are; false (nothing taken) otherwise. */
  tryTake(n: number, now = Date.now()): boolean {
    this.refill(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Takes `n` tokens in advance; returns how long to wait before acting (0: at once). */
  reserve(n: number, now = Date.now()): number {
    this.refill(now);
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.rate);
  }

  full(now = Date.now()): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }
}

/** One bucket per client address, forgotten once full again (nothing kept for quiet addresses). */
export class AddressRates {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  of(address: string): TokenBucket {
    let b = this.buckets.get(address);
    if (!b) {
      if (this.buckets.size >= 4096) for (const [a, old] of this.buckets) if (old.full()) this.buckets.delete(a);
      b = new TokenBucket(this.rate, this.burst);
      this.buckets.set(address, b);
    }
    return b;
  }
}

/**
 * Connection caps: a connection beyond the per-address or the overall cap is closed as soon as it
 * is accepted (before TLS, before any byte is read), and the others are not disturbed.
 */
export class ConnectionCaps {
  private readonly perAddress = new Map<string, number>();
  private total = 0;
  constructor(private readonly limits: HubLimits) {}

  /** Counts the socket in, or closes it and returns false. */
  admit(socket: Socket): boolean {
    const address = socket.remoteAddress ?? 'unknown';
    const n = this.perAddress.get(address) ?? 0;
    if (n >= this.limits.maxConnectionsPerAddress || this.total >= this.limits.maxConnections) {
      socket.destroy();
      return false;
    }
    this.perAddress.set(address, n + 1);
    this.total++;
    socket.once('close', () => {
      this.total--;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
    return true;
  }
}
