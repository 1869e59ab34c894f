/**
 * A JSON-RPC client over the hub's WebSocket, as the renderer's transport does it: requests
 * matched by id, notifications dispatched by method name.
 */
import WebSocket from 'ws';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class RpcSocket {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, ((params: unknown) => void)[]>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
      if (msg.method && msg.id === undefined) {
        for (const h of this.handlers.get(msg.method) ?? []) h(msg.params);
        return;
      }
      const p = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('socket closed'));
      this.pending.clear();
    });
  }

  static open(url: string): Promise<RpcSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new RpcSocket(ws)));
      ws.once('error', reject);
    });
  }

  call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  on(method: string, handler: (params: unknown) => void): void {
    this.handlers.set(method, [...(this.handlers.get(method) ?? []), handler]);
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * A desk's board, refreshed the way `src/renderer/src/pages/queue/useQueue.ts` does it: on every
 * `queue.changed` (and at start) `queue.list` and `queue.getConfig` in parallel, bursts coalesced
 * into at most one extra load. If the renderer changes (events carrying the entry), change this
 * function with it: the bench measures what desks really do.
 */
export class DeskBoard {
  private inFlight: Promise<void> | null = null;
  private again = false;
  private waiters: { after: number; resolve: (at: number) => void }[] = [];
  paused = false;
  entries = 0;

  constructor(readonly socket: RpcSocket) {
    socket.on('queue.changed', () => {
      if (!this.paused) void this.reload();
    });
  }

  reload(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    const run = async () => {
      do {
        this.again = false;
        const started = performance.now();
        const [list] = await Promise.all([this.socket.call<{ entries: unknown[] }>('queue.list', {}), this.socket.call('queue.getConfig', {})]);
        this.entries = list.entries.length;
        const done = performance.now();
        this.waiters = this.waiters.filter((w) => {
          if (started < w.after) return true;
          w.resolve(done);
          return false;
        });
      } while (this.again);
    };
    this.inFlight = run().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Resolves with the time at which a load started after `after` (an action sent) has finished. */
  upToDateAfter(after: number): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ after, resolve }));
  }
}
