/**
 * What the main thread and the WAL checkpointer's worker say to each other (types only, imported
 * by both). Errors travel as a name or SQLite code only: never a message that could quote data.
 */

export interface CheckpointerBoot {
  file: string;
  /** The site key (64 hex characters); null for a plain database (the bench's plain twin only). */
  keyHex: string | null;
  /** How often the worker looks for new commits and checkpoints them. */
  everyMs: number;
}

export type ToCheckpointer = { type: 'now'; id: number } | { type: 'stop' };

/** One `PRAGMA wal_checkpoint(PASSIVE)`: frames in the WAL, frames copied into the database. */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
  /** Milliseconds the checkpoint took (in the worker, the desks never wait for it). */
  ms: number;
}

export type FromCheckpointer =
  | { type: 'ready' }
  | ({ type: 'checkpoint'; id: number | null } & CheckpointResult)
  | { type: 'failed'; error: string };
