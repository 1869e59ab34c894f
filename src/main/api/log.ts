/**
 * Operational log: one JSON line per event. Callers pass identifiers and codes only: never
 * names, free text or anything a person typed (personal data never reaches a log;
 * tests/integration/logs.test.ts drives the app with personal data and reads the log back).
 *
 * Where lines go: stderr by default (the site hub under systemd: the journal, which rotates on its
 * own); a file when `configureLog({ file })` is called (the desktop: `userData/logs/`), rotated by
 * size so the log never grows without bound: `accueil-esc.log`, then `.1` … `.<keep>`, the oldest
 * dropped. The last warnings and errors are also kept in memory for the support bundle.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

type Level = 'info' | 'warn' | 'error';
type Fields = Record<string, string | number | boolean | null | string[]>;

export interface LogEntry {
  t: string;
  level: Level;
  event: string;
  [field: string]: string | number | boolean | null | string[];
}

export interface LogFileOptions {
  path: string;
  /** Size after which the file is rotated (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the current one (default 4): at most (keep + 1) × maxBytes on disk. */
  keep?: number;
}

/** A log file rotated by size. Writes are synchronous: a line is on disk before the next one. */
export class RotatingFile {
  private fd: number;
  private size: number;
  readonly maxBytes: number;
  readonly keep: number;

  constructor(readonly path: string, options: { maxBytes?: number; keep?: number } = {}) {
    this.maxBytes = Math.max(1024, options.maxBytes ?? 1024 * 1024);
    this.keep = Math.max(1, options.keep ?? 4);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.fd = openSync(path, 'a', 0o600);
    this.size = statSync(path).size;
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    writeSync(this.fd, line);
    this.size += bytes;
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.path}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

const RECENT_MAX = 100;
const recent: LogEntry[] = [];
let file: RotatingFile | null = null;
let toStderr = true;

/** Sends the log to a rotated file (and, unless `stderr: false`, to stderr too). */
export function configureLog(options: { file?: LogFileOptions | null; stderr?: boolean }): void {
  file?.close();
  file = options.file ? new RotatingFile(options.file.path, options.file) : null;
  toStderr = options.stderr ?? true;
}

/** The last warnings and errors of this process, oldest first (for the support bundle). */
export function recentProblems(): LogEntry[] {
  return recent.slice();
}

function write(level: Level, event: string, fields: Fields = {}): void {
  const entry: LogEntry = { t: new Date().toISOString(), level, event, ...fields };
  if (level !== 'info') {
    recent.push(entry);
    if (recent.length > RECENT_MAX) recent.shift();
  }
  if (process.env.ESC_LOG === 'silent' && !file) return;
  const line = `${JSON.stringify(entry)}\n`;
  if (file) file.write(line);
  if (toStderr && process.env.ESC_LOG !== 'silent') process.stderr.write(line);
}

export const log = {
  info: (event: string, fields?: Fields) => write('info', event, fields),
  warn: (event: string, fields?: Fields) => write('warn', event, fields),
  error: (event: string, fields?: Fields) => write('error', event, fields),
};
