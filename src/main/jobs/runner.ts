/**
 * The job runner: heavy work (period reports, exports, backups and their verification, the
 * seed, multi-day closing reviews) runs in worker threads, each with its own read-only
 * connection to the encrypted database (WAL lets readers run beside the writer), so that the
 * main thread only routes and stays free for the desks.
 *
 * Limits, all answered at once with a French `UNAVAILABLE` rather than queued without end:
 * - per hub: `maxWorkers` jobs run at a time (one on a two-core machine: the other core serves
 *   the desks) and at most `maxWaiting` wait behind them;
 * - per session (`owner`): at most `perOwner` jobs running or waiting.
 * Workers start on the first job and stop after `idleMs` without work, so an idle hub holds no
 * worker (nor exceljs/pdfmake, which only a worker ever loads).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/api/errors';
import { log } from '../api/log';
import { StoreError, type OpenOptions, type StoreErrorCode } from '../store/open';
import { workerEntry } from '../runtime/worker-entry';
import { WRITING_JOBS, type FromWorker, type JobInputs, type JobKind, type JobOutputs, type ToWorker, type WorkerBoot } from './protocol';

export interface JobRunnerOptions {
  /** How a worker opens the database (file and key, from `store.readerOptions()`). */
  reader: () => OpenOptions;
  maxWorkers?: number | undefined;
  maxWaiting?: number | undefined;
  perOwner?: number | undefined;
  idleMs?: number | undefined;
  /** A job running longer is stopped (its worker ended) and answered UNAVAILABLE. */
  timeoutMs?: number | undefined;
}

export interface RunOptions {
  /** Who asked (a session's token hash), for the per-session limit; null: the hub itself. */
  owner: string | null;
  /** The instant the job is asked at: the worker's clock. */
  now: Date;
  onProgress?: ((percent: number, stage: string) => void) | undefined;
}

interface Pending {
  id: number;
  kind: JobKind;
  input: unknown;
  now: string;
  owner: string | null;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  onProgress: ((percent: number, stage: string) => void) | undefined;
  timer?: ReturnType<typeof setTimeout> | undefined;
  onSettled?: (() => void) | undefined;
}

interface Slot {
  worker: Worker;
  job: Pending | null;
  idle: ReturnType<typeof setTimeout> | null;
  dead: boolean;
}

export const BUSY_SESSION = (n: number) =>
  `Vous avez déjà ${n === 1 ? 'un rapport ou un export' : `${n} rapports ou exports`} en préparation : attendez ${n === 1 ? 'qu’il se termine' : 'qu’ils se terminent'} avant d’en demander un autre.`;
export const BUSY_HUB = 'Le hub prépare déjà plusieurs rapports ou exports : réessayez dans quelques instants.';
const FAILED = 'Le calcul n’a pas pu aboutir. L’incident a été journalisé ; réessayez dans un instant.';

function defaultWorkers(): number {
  // Keep one core for the thread that serves the desks.
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

export class JobRunner {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private readonly running = new Set<Pending>();
  private nextId = 1;
  private closed = false;
  readonly maxWorkers: number;
  readonly maxWaiting: number;
  readonly perOwner: number;
  private readonly idleMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: JobRunnerOptions) {
    this.maxWorkers = options.maxWorkers ?? defaultWorkers();
    this.maxWaiting = options.maxWaiting ?? 4;
    this.perOwner = options.perOwner ?? 2;
    this.idleMs = options.idleMs ?? 20_000;
    this.timeoutMs = options.timeoutMs ?? 10 * 60_000;
  }

  /** Jobs running and waiting, workers alive: for /health and the tests. */
  state(): { running: number; waiting: number; workers: number } {
    return { running: this.running.size, waiting: this.waiting.length, workers: this.slots.length };
  }

  /** Whether a job of this kind is running now (housekeeping waits while a backup writes). */
  isRunning(kind: JobKind): boolean {
    for (const p of this.running) if (p.kind === kind) return true;
    return false;
  }

  run<K extends JobKind>(kind: K, input: JobInputs[K], options: RunOptions): Promise<JobOutputs[K]> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'Le hub s’arrête : réessayez dans un instant.'));
    if (options.owner !== null) {
      const mine = [...this.running, ...this.waiting].filter((p) => p.owner === options.owner).length;
      if (mine >= this.perOwner) return Promise.reject(new AppError('UNAVAILABLE', BUSY_SESSION(mine)));
    }
    const free = this.busy() < this.maxWorkers;
    if (!free && this.waiting.length >= this.maxWaiting) return Promise.reject(new AppError('UNAVAILABLE', BUSY_HUB));
    return new Promise<JobOutputs[K]>((resolve, reject) => {
      const job: Pending = {
        id: this.nextId++,
        kind,
        input,
        now: options.now.toISOString(),
        owner: options.owner,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress,
      };
      if (WRITING_JOBS.has(kind)) {
        this.runDedicated(job);
        return;
      }
      this.waiting.push(job);
      this.pump();
    });
  }

  /** Ends every worker (their connections with them): after a restore replaced the file. */
  async reset(reason = 'La base vient d’être restaurée : relancez le calcul.'): Promise<void> {
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.dead = true;
      if (slot.idle) clearTimeout(slot.idle);
      if (slot.job) this.settle(slot.job, new AppError('UNAVAILABLE', reason));
      slot.job = null;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new AppError('UNAVAILABLE', 'Le hub s’arrête : réessayez dans un instant.'));
    await this.reset('Le hub s’arrête : réessayez dans un instant.');
  }

  /** Pool workers busy with a job (writing jobs have workers of their own). */
  private busy(): number {
    return this.slots.filter((s) => s.job !== null).length;
  }

  private entry: URL | null = null;
  private entryLoading: Promise<void> | null = null;

  /** Whether the worker's code is located (built from sources the first time); pumps again when it is. */
  private entryReady(): boolean {
    if (this.entry) return true;
    this.entryLoading ??= workerEntry('jobs-worker').then(
      (url) => {
        this.entry = url;
        this.pump();
      },
      (err: unknown) => {
        this.entryLoading = null;
        log.error('jobs.entry_failure', { error: err instanceof Error ? err.name : 'unknown' });
        for (const job of this.waiting.splice(0)) job.reject(new AppError('UNAVAILABLE', FAILED));
      },
    );
    return false;
  }

  private pump(): void {
    if (this.waiting.length === 0 || !this.entryReady()) return;
    while (this.waiting.length > 0 && this.busy() < this.maxWorkers) {
      let slot = this.slots.find((s) => !s.job && !s.dead);
      if (!slot) {
        if (this.slots.length >= this.maxWorkers) return;
        slot = this.spawn(this.options.reader(), this.entry!);
        this.slots.push(slot);
      }
      this.assign(slot, this.waiting.shift()!);
    }
  }

  private spawn(open: OpenOptions, entry: URL): Slot {
    const boot: WorkerBoot = { open };
    // No `env` of our own: the worker shares the process environment, and the key is in workerData only.
    // A small young generation and a bounded heap: the worker's memory counts in the hub's RSS.
    const worker = new Worker(entry, { workerData: boot, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 192 } });
    const slot: Slot = { worker, job: null, idle: null, dead: false };
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (err) => {
      log.error('jobs.worker_failure', { error: err instanceof StoreError ? `StoreError ${err.code}` : err instanceof Error ? err.name : 'unknown' });
      this.drop(slot, err instanceof StoreError ? err : new AppError('UNAVAILABLE', FAILED));
    });
    worker.on('exit', () => this.drop(slot, new AppError('UNAVAILABLE', FAILED)));
    worker.unref();
    return slot;
  }

  private assign(slot: Slot, job: Pending): void {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    slot.job = job;
    this.running.add(job);
    slot.worker.ref(); // a running job keeps the process alive (the CLI waits for it)
    job.timer = setTimeout(() => {
      log.error('jobs.timeout', { kind: job.kind });
      this.settle(job, new AppError('UNAVAILABLE', 'Le calcul a pris trop de temps et a été interrompu : choisissez une période plus courte.'));
      slot.job = null;
      slot.dead = true;
      void slot.worker.terminate();
    }, this.timeoutMs);
    job.timer.unref();
    const message: ToWorker = { type: 'job', id: job.id, kind: job.kind, input: job.input as JobInputs[JobKind], now: job.now };
    slot.worker.postMessage(message);
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === 'ready') return;
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    if (m.type === 'progress') {
      job.onProgress?.(m.percent, m.stage);
      return;
    }
    slot.job = null;
    if (m.type === 'done') this.settle(job, null, m.result);
    else this.settle(job, rebuildError(job.kind, m.error));
    if (loadsFileLibraries(job)) {
      // exceljs and pdfmake stay in a worker's heap once loaded: give that memory back now.
      this.retire(slot);
      this.pump();
      return;
    }
    this.release(slot);
  }

  private release(slot: Slot): void {
    if (slot.dead) return;
    slot.worker.unref();
    slot.idle = setTimeout(() => {
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !slot.job) {
        this.slots.splice(i, 1);
        slot.dead = true;
        void slot.worker.terminate();
      }
    }, this.idleMs);
    slot.idle.unref();
    this.pump();
  }

  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.dead = true;
    void slot.worker.terminate();
  }

  private drop(slot: Slot, err: unknown): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.dead = true;
    if (slot.idle) clearTimeout(slot.idle);
    if (slot.job) this.settle(slot.job, err);
    slot.job = null;
    this.pump();
  }

  private settle(job: Pending, err: unknown, result?: unknown): void {
    if (!this.running.delete(job)) return;
    if (job.timer) clearTimeout(job.timer);
    job.onSettled?.();
    if (err) job.reject(err);
    else job.resolve(result);
  }

  /** A writing job (the seed): a worker of its own with a writable connection, ended afterwards. */
  private runDedicated(job: Pending): void {
    workerEntry('jobs-worker').then(
      (entry) => {
        const slot = this.spawn({ ...this.options.reader(), readOnly: false }, entry);
        job.onSettled = () => {
          slot.dead = true;
          void slot.worker.terminate();
        };
        this.assign(slot, job);
      },
      () => job.reject(new AppError('UNAVAILABLE', FAILED)),
    );
  }
}

/** XLSX and PDF files load large libraries into the worker (see `retire`). */
function loadsFileLibraries(job: Pending): boolean {
  return job.kind === 'export' && (job.input as JobInputs['export']).format !== 'csv';
}

function rebuildError(kind: JobKind, error: { code: string | null; message: string; name: string }): Error {
  if (error.name.startsWith('StoreError:')) return new StoreError(error.name.slice('StoreError:'.length) as StoreErrorCode, error.message);
  if (error.code) return new AppError(error.code as AppError['code'], error.message || undefined);
  log.error('jobs.failure', { kind, error: error.name });
  return new AppError('UNAVAILABLE', FAILED);
}
