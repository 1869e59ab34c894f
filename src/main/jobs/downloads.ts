/**
 * One-time downloads of the files the job worker writes (report and journal exports). A file
 * is registered under a random id bound to the session that asked for it; it can be fetched
 * once (`GET /exports/<id>` on the hub, streamed from disk; or `exports.download` in chunks over
 * IPC), then it is deleted. Unfetched files expire after a few minutes. The folder is private
 * (0700) and removed when the app stops.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportFile } from '../../shared/api/methods/stats';
import type { WrittenFile } from './protocol';

export const DOWNLOAD_TTL_MS = 10 * 60_000;
/** Bytes per `exports.download` chunk (base64 makes it a third larger on the wire). */
export const CHUNK_BYTES = 512 * 1024;

interface Entry extends WrittenFile {
  owner: string;
  expiresAt: number;
  /** Set once a transfer started: a second fetch is refused. */
  taken: boolean;
}

export class Downloads {
  private folder: string | null = null;
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly ttlMs = DOWNLOAD_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** The private folder the worker writes into (created on first use). */
  dir(): string {
    this.folder ??= mkdtempSync(join(tmpdir(), 'accueil-esc-fichiers-'));
    return this.folder;
  }

  add(file: WrittenFile, owner: string): ExportFile {
    this.sweep();
    const id = randomBytes(18).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.entries.set(id, { ...file, owner, expiresAt, taken: false });
    return { filename: file.filename, mimeType: file.mimeType, size: file.size, downloadId: id, url: `/exports/${id}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The file of `id` for its owner, marked taken (one fetch only), or null. */
  take(id: string, owner: string): WrittenFile | null {
    this.sweep();
    const e = this.entries.get(id);
    if (!e || e.owner !== owner || e.taken) return null;
    e.taken = true;
    return e;
  }

  /** Deletes the file of `id` (after its transfer, or when it failed). */
  finish(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    rmSync(e.file, { force: true });
  }

  /** A chunk of the file of `id` for its owner; the file is deleted after its last chunk. */
  chunk(id: string, owner: string, offset: number): { bytes: Buffer; offset: number; size: number; done: boolean } | null {
    this.sweep();
    const e = this.entries.get(id);
    if (!e || e.owner !== owner || offset > e.size) return null;
    // Chunks must be asked in order: the transfer is one pass over the file.
    if (offset === 0 && e.taken) return null;
    e.taken = true;
    const length = Math.min(CHUNK_BYTES, e.size - offset);
    const bytes = Buffer.alloc(length);
    const fd = openSync(e.file, 'r');
    try {
      readSync(fd, bytes, 0, length, offset);
    } finally {
      closeSync(fd);
    }
    const done = offset + length >= e.size;
    if (done) this.finish(id);
    return { bytes, offset, size: e.size, done };
  }

  /** Files waiting to be fetched (for the tests and /health). */
  count(): number {
    return this.entries.size;
  }

  sweep(): void {
    const now = this.now();
    for (const [id, e] of this.entries) if (e.expiresAt <= now) this.finish(id);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const id of [...this.entries.keys()]) this.finish(id);
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = null;
  }
}
