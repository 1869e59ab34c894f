/**
 * The WAL checkpointer (decision 029): a worker thread with its own connection that copies
 * committed pages from the WAL into the database file, so that the thread serving the desks
 * never does it inside one of their commits. With the cipher, a checkpoint decrypts and
 * re-encrypts every page it copies: done by the main connection's automatic checkpoint, it
 * paused every desk for 0.25–1 s about once per 40 MB of writes.
 *
 * Started by the hub and the desktop app (`createApp(…, { walCheckpointer })`), stopped before a
 * restore replaces the file (a connection that outlives the swap would delete the new file's WAL
 * when it closes last) and started again after. If its worker fails, the failure is journalled
 * (code only), the main connection's automatic checkpoint carries on alone, and the worker is
 * started again a minute later.
 */
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../runtime/worker-entry';
import type { CheckpointerBoot, CheckpointResult, FromCheckpointer, ToCheckpointer } from './protocol';

export interface WalCheckpointerOptions {
  /** The file to checkpoint and its key (read at each start: after a restore, the same path). */
  target: () => { file: string; keyHex: string | null };
  /** How often the worker looks for new commits (default 1 s). */
  everyMs?: number | undefined;
  /** Delay before starting a failed worker again (default 60 s). */
  retryMs?: number | undefined;
  /** Told of each failure (a SQLite code or an error name, never a message): the app journals it. */
  onFailure?: ((error: string) => void) | undefined;
}

export interface CheckpointerTotals {
  /** Checkpoints that found frames in the WAL. */
  checkpoints: number;
  /** Frames copied into the database by those checkpoints. */
  framesCopied: number;
  /** The longest checkpoint, in milliseconds (spent in the worker). */
  longestMs: number;
  /** Workers that failed (each journalled, then started again). */
  failures: number;
}

interface Running {
  worker: Worker;
  ready: Promise<void>;
  exited: Promise<void>;
  stopping: boolean;
}

export class WalCheckpointer {
  private running: Running | null = null;
  private starting: Promise<void> | null = null;
  private wanted = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  private readonly waiters = new Map<number, { resolve(r: CheckpointResult): void; reject(e: Error): void }>();
  readonly totals: CheckpointerTotals = { checkpoints: 0, framesCopied: 0, longestMs: 0, failures: 0 };
  private readonly everyMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: WalCheckpointerOptions) {
    this.everyMs = options.everyMs ?? 1000;
    this.retryMs = options.retryMs ?? 60_000;
  }

  /** Whether a worker is checkpointing now. */
  get active(): boolean {
    return this.running !== null && !this.running.stopping;
  }

  /** Starts the worker (resolves once its connection is open, or once it failed and was journalled). */
  start(): Promise<void> {
    this.wanted = true;
    if (this.running && !this.running.stopping) return this.running.ready;
    this.starting ??= this.spawn().finally(() => (this.starting = null));
    return this.starting;
  }

  /** Stops the worker and closes its connection; resolves once the thread has exited. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.starting;
    const r = this.running;
    if (!r) return;
    r.stopping = true;
    const stop: ToCheckpointer = { type: 'stop' };
    r.worker.postMessage(stop);
    const timeout = setTimeout(() => void r.worker.terminate(), 5_000);
    await r.exited;
    clearTimeout(timeout);
  }

  /** One checkpoint now, answered with its result (tests, and whoever needs the WAL folded). */
  async checkpointNow(): Promise<CheckpointResult> {
    await this.starting;
    const r = this.running;
    if (!r || r.stopping) throw new Error('the WAL checkpointer is not running');
    await r.ready;
    const id = this.nextId++;
    return new Promise<CheckpointResult>((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      const m: ToCheckpointer = { type: 'now', id };
      r.worker.postMessage(m);
    });
  }

  private async spawn(): Promise<void> {
    let entry: URL;
    try {
      entry = await workerEntry('wal-checkpointer');
    } catch (err) {
      this.failed(err instanceof Error ? err.name : 'unknown');
      return;
    }
    if (!this.wanted) return;
    const boot: CheckpointerBoot = { ...this.options.target(), everyMs: this.everyMs };
    // Tiny heaps: the worker runs a few statements; its memory counts in the hub's RSS.
    const worker = new Worker(entry, { workerData: boot, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 } });
    worker.unref();
    let readyResolve!: () => void;
    const ready = new Promise<void>((resolve) => (readyResolve = resolve));
    let exitedResolve!: () => void;
    const exited = new Promise<void>((resolve) => (exitedResolve = resolve));
    const running: Running = { worker, ready, exited, stopping: false };
    this.running = running;
    let failure: string | null = null;
    worker.on('message', (m: FromCheckpointer) => {
      if (m.type === 'ready') readyResolve();
      else if (m.type === 'failed') failure = m.error;
      else this.record(m);
    });
    worker.on('error', (err) => {
      const code = (err as { code?: unknown }).code;
      failure = typeof code === 'string' ? code : err.name;
    });
    worker.on('exit', () => {
      if (this.running === running) this.running = null;
      for (const [id, w] of this.waiters) {
        this.waiters.delete(id);
        w.reject(new Error('the WAL checkpointer stopped'));
      }
      readyResolve();
      exitedResolve();
      if (!running.stopping) this.failed(failure ?? 'exit');
    });
    await ready;
  }

  private record(m: Extract<FromCheckpointer, { type: 'checkpoint' }>): void {
    const copied = Math.max(0, m.checkpointed);
    if (m.log > 0) {
      this.totals.checkpoints++;
      this.totals.framesCopied += copied;
      this.totals.longestMs = Math.max(this.totals.longestMs, m.ms);
    }
    if (m.id !== null) {
      const w = this.waiters.get(m.id);
      this.waiters.delete(m.id);
      w?.resolve({ log: m.log, checkpointed: m.checkpointed, ms: m.ms });
    }
  }

  private failed(error: string): void {
    this.totals.failures++;
    this.options.onFailure?.(error);
    if (!this.wanted) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.wanted) void this.start();
    }, this.retryMs);
    this.retry.unref();
  }
}
