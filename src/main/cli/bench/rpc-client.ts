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

/** What a `queue.changed` event and a `queue.list` answer carry that a board needs (decision 019). */
interface Changed {
  day: string;
  action: string;
  version: number;
  previousVersion: number;
  entry: { id: string } | null;
}
interface ListAnswer {
  day: string;
  version: number;
  delta: boolean;
  entries: { id: string }[];
  removedIds: string[];
}

/**
 * A desk's board, kept the way `src/renderer/src/pages/queue/useQueue.ts` keeps it: the day and
 * the configuration read once; then an event that follows the version held is applied as it is
 * (it carries the changed entry), anything else (a gap, several entries at once, a new day) is
 * caught up with `queue.list({ since })`; catch-ups are coalesced, events arriving during one are
 * applied after it. If the renderer changes, change this class with it: the bench measures what
 * desks really do.
 */
export class DeskBoard {
  private inFlight: Promise<void> | null = null;
  private again = false;
  private pending: Changed[] | null = null;
  private waiters: { after: number; resolve: (at: number) => void }[] = [];
  private board: { day: string; version: number; entries: Map<string, unknown> } | null = null;
  paused = false;
  /** Catch-ups with `queue.list` (the rest were events applied as they came). */
  catchUps = 0;

  constructor(readonly socket: RpcSocket) {
    socket.on('queue.changed', (params) => {
      if (this.paused) return;
      const p = params as Changed;
      if (p.action === 'config') void this.socket.call('queue.getConfig', {});
      if (this.pending) {
        this.pending.push(p);
        return;
      }
      if (this.board && this.apply(p)) this.upToDate(performance.now());
      else void this.reload();
    });
  }

  get entries(): number {
    return this.board?.entries.size ?? 0;
  }

  private apply(p: Changed): boolean {
    const b = this.board!;
    if (p.day !== b.day) return p.day < b.day;
    if (p.version <= b.version) return true;
    if (p.previousVersion !== b.version || !p.entry) return false;
    b.entries.set(p.entry.id, p.entry);
    b.version = p.version;
    return true;
  }

  private upToDate(at: number): void {
    this.waiters = this.waiters.filter((w) => {
      if (at < w.after) return true;
      w.resolve(at);
      return false;
    });
  }

  /** Reads the configuration once, then the day (whole, or what changed since the version held). */
  reload(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    const run = async () => {
      if (!this.board) await this.socket.call('queue.getConfig', {});
      do {
        this.again = false;
        this.pending = [];
        this.catchUps++;
        const held = this.board;
        const list = await this.socket.call<ListAnswer>('queue.list', held ? { since: held.version } : {});
        if (list.delta && (!held || held.day !== list.day)) {
          this.board = null;
          this.again = true;
          continue;
        }
        const b = list.delta && held ? held : { day: list.day, version: 0, entries: new Map<string, unknown>() };
        for (const e of list.entries) b.entries.set(e.id, e);
        for (const id of list.removedIds) b.entries.delete(id);
        b.version = list.version;
        this.board = b;
        for (const p of this.pending) if (!this.apply(p)) this.again = true;
        this.pending = null;
        if (!this.again) this.upToDate(performance.now());
      } while (this.again);
    };
    this.inFlight = run().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Resolves with the time at which the board holds what the hub had after `after` (an action sent). */
  upToDateAfter(after: number): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ after, resolve }));
  }
}
