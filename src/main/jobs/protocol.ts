/**
 * What the main thread and the job worker say to each other: the kinds of heavy work, their
 * inputs and outputs (structured-cloneable), and the messages. Types only, imported by both.
 */
import type { ErrorCode } from '../../shared/api/errors';
import type { OpenOptions } from '../store/open';
import type { BackupInfo } from '../store/backup';
import type { SeedSummary } from '../seed/generate';
import type { reviewDay } from '../core/days/closing';
import type { Principal } from '../../shared/permissions';
import type { PackedPeriodReport } from '../core/stats/period';

export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

/** A file the worker wrote into the runner's private folder. */
export interface WrittenFile {
  file: string;
  filename: string;
  mimeType: string;
  size: number;
}

export interface JobInputs {
  /** `stats.period`: the site report of a period. */
  period: { from: string; to: string };
  /** `exports.report`: the report file, written (streamed) into `dir`. */
  export: { from: string; to: string; format: ExportFormat; dir: string };
  /** `exports.audit`: the journal as CSV, written into `dir`. */
  auditExport: { from: string; to: string; entity?: string | undefined; actorLogin?: string | undefined; reader: Principal; dir: string };
  /** `contacts.persons`: passages and distinct persons of a period. */
  persons: { from: string; to: string };
  /** Closing review of several days at once (bulk closing). */
  review: { days: string[] };
  /** An encrypted, verified backup written from the worker's own connection. */
  backup: { dir: string; keep: number };
  /** Integrity check of a backup file with the site key (before a restore). */
  verifyBackup: { file: string };
  /** The demonstration/scale seeder (a writable worker of its own). */
  seed: { seed?: string | undefined; end: string; days: number; passagesMin?: number | undefined; passagesMax?: number | undefined; chunkDays?: number | undefined };
}

export interface JobOutputs {
  /** Unpacked by the thread that answers (`unpackPeriodReport`). */
  period: PackedPeriodReport;
  export: WrittenFile;
  auditExport: WrittenFile;
  persons: { passages: number; identifiedPassages: number; distinctIdentified: number; anonymousPassages: number };
  review: ReturnType<typeof reviewDay>[];
  backup: BackupInfo;
  verifyBackup: { ok: true };
  seed: Omit<SeedSummary, 'perDay'>;
}

export type JobKind = keyof JobInputs;

/** Jobs that write to the site database: they get a writable worker of their own, never the pool. */
export const WRITING_JOBS: ReadonlySet<JobKind> = new Set<JobKind>(['seed']);

/** What the worker receives at start (`workerData`): the key travels here, never in the environment. */
export interface WorkerBoot {
  open: OpenOptions;
}

export type ToWorker = { type: 'job'; id: number; kind: JobKind; input: JobInputs[JobKind]; now: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; id: number; percent: number; stage: string }
  | { type: 'done'; id: number; result: JobOutputs[JobKind] }
  | { type: 'failed'; id: number; error: { code: ErrorCode | null; message: string; name: string } };
