/**
 * `/mises-a-jour/<file>`: the desktop installers and their update feed, served by the site hub
 * from the folder IT drops them into (docs/release.md), for electron-updater's generic provider
 * (docs/decisions/026-updates-and-versions.md).
 *
 * - Only plain file names directly in the folder (no sub-folder, no dot file, no `..`, no
 *   symbolic link leading out of it); no listing.
 * - `latest.yml` / `latest-linux.yml` as YAML, installers (.exe, .AppImage, .deb) and `.blockmap`
 *   files with their content types.
 * - HTTP range requests, as electron-updater's differential downloader makes them: one range →
 *   206 with Content-Range; several → 206 `multipart/byteranges`, parts in the order asked;
 *   unsatisfiable → 416. Ranges asking for more bytes than the file holds (overlaps) get the whole
 *   file instead (200), which electron-updater handles by downloading in full.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream, type Stats } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';

export const UPDATES_PATH = '/mises-a-jour/';

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+ -]{0,199}$/;
const MAX_RANGES = 2000;

const TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.exe': 'application/vnd.microsoft.portable-executable',
  '.appimage': 'application/vnd.appimage',
  '.deb': 'application/vnd.debian.binary-package',
  '.blockmap': 'application/octet-stream',
  '.zip': 'application/zip',
  '.7z': 'application/x-7z-compressed',
};

export function contentTypeOf(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/** A byte range, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a `Range` header against a file of `size` bytes (RFC 9110 §14.1.2).
 * Returns null to serve the whole file (no header, another unit, malformed, too many ranges or more
 * bytes than the file: the header may be ignored), 'unsatisfiable' for 416, else the ranges in order.
 */
export function parseRange(header: string | undefined, size: number): ByteRange[] | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(.+)$/i.exec(header.trim());
  if (!m) return null;
  const specs = m[1]!.split(',');
  if (specs.length > MAX_RANGES) return null;
  const ranges: ByteRange[] = [];
  for (const raw of specs) {
    const spec = raw.trim();
    const r = /^(\d*)-(\d*)$/.exec(spec);
    if (!r || (r[1] === '' && r[2] === '')) return null;
    if (r[1] === '') {
      const suffix = Number(r[2]);
      if (suffix === 0) continue;
      ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(r[1]);
    const end = r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1);
    if (r[2] !== '' && Number(r[2]) < start) return null;
    if (start >= size) continue;
    ranges.push({ start, end });
  }
  if (ranges.length === 0) return 'unsatisfiable';
  const total = ranges.reduce((n, r) => n + (r.end - r.start + 1), 0);
  return total > size ? null : ranges;
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('Fichier de mise à jour introuvable.\n');
}

/** The file asked for, if it is a regular file directly inside `dir`; null otherwise. */
async function resolveFile(dir: string, pathname: string): Promise<{ path: string; stats: Stats } | null> {
  let name: string;
  try {
    name = decodeURIComponent(pathname.slice(UPDATES_PATH.length));
  } catch {
    return null;
  }
  if (!FILE_NAME.test(name) || name.includes('..')) return null;
  try {
    const root = await realpath(dir);
    const path = join(root, name);
    const link = await lstat(path);
    const real = link.isSymbolicLink() ? await realpath(path) : path;
    if (!real.startsWith(root + sep)) return null;
    const stats = await stat(real);
    return stats.isFile() ? { path: real, stats } : null;
  } catch {
    return null;
  }
}

/** Answers a request under /mises-a-jour/ from `dir` (null: no updates folder configured). */
export async function serveUpdates(req: IncomingMessage, res: ServerResponse, pathname: string, dir: string | null): Promise<void> {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Méthode HTTP non prise en charge.\n');
    return;
  }
  const file = dir ? await resolveFile(dir, pathname) : null;
  if (!file) {
    notFound(res);
    return;
  }
  const { path, stats } = file;
  const size = stats.size;
  const type = contentTypeOf(path);
  const etag = `"${size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const common = {
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': stats.mtime.toUTCString(),
    // IT replaces latest.yml in place: always revalidate.
    'Cache-Control': 'no-cache',
  };
  const ifRange = req.headers['if-range'];
  const rangeAllowed = !ifRange || ifRange === etag || ifRange === stats.mtime.toUTCString();
  const ranges = rangeAllowed ? parseRange(req.headers.range, size) : null;
  const head = req.method === 'HEAD';

  if (ranges === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'Content-Range': `bytes */${size}`, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end();
    return;
  }
  if (ranges === null) {
    res.writeHead(200, { ...common, 'Content-Type': type, 'Content-Length': size });
    if (head || size === 0) res.end();
    else pipeRange(path, { start: 0, end: size - 1 }, res, true);
    return;
  }
  if (ranges.length === 1) {
    const r = ranges[0]!;
    res.writeHead(206, { ...common, 'Content-Type': type, 'Content-Range': `bytes ${r.start}-${r.end}/${size}`, 'Content-Length': r.end - r.start + 1 });
    if (head) res.end();
    else pipeRange(path, r, res, true);
    return;
  }
  const boundary = `accueil-esc-${randomBytes(12).toString('hex')}`;
  const partHeader = (r: ByteRange, first: boolean) => `${first ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`;
  const closing = `\r\n--${boundary}--\r\n`;
  const length = ranges.reduce((n, r, i) => n + Buffer.byteLength(partHeader(r, i === 0)) + (r.end - r.start + 1), 0) + Buffer.byteLength(closing);
  res.writeHead(206, { ...common, 'Content-Type': `multipart/byteranges; boundary=${boundary}`, 'Content-Length': length });
  if (head) {
    res.end();
    return;
  }
  // Parts one after the other, each streamed from the file (never the whole file in memory).
  let i = 0;
  let current: ReadStream | null = null;
  res.once('close', () => current?.destroy());
  const next = (): void => {
    if (i === ranges.length) {
      res.end(closing);
      return;
    }
    const r = ranges[i]!;
    res.write(partHeader(r, i === 0));
    i++;
    current = createReadStream(path, { start: r.start, end: r.end });
    current.on('error', () => res.destroy());
    current.once('end', next);
    current.pipe(res, { end: false });
  };
  next();
}

function pipeRange(path: string, r: ByteRange, res: ServerResponse, end: boolean): void {
  const stream = createReadStream(path, { start: r.start, end: r.end });
  stream.on('error', () => res.destroy());
  res.once('close', () => stream.destroy());
  stream.pipe(res, { end });
}
