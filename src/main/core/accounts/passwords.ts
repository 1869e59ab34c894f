/**
 * Password and PIN hashing with Node's scrypt (memory-hard, no native dependency). Stored as
 * `scrypt$N$r$p$salt$hash`, so that parameters can change without breaking older hashes: a hash
 * made with other parameters still verifies, and `needsRehash` tells the caller to store a new
 * one after a successful sign-in (decision 028).
 *
 * Parameters: N = 2^13, r = 8, p = 10 — one of OWASP's equivalent scrypt settings (8 MiB per hash,
 * about the cost of 2^15 with p = 3). Each hash holds 128·N·r bytes while it runs, and libuv runs
 * up to four at once: at N = 2^15 twenty desks signing in together held 128 MiB on the hub. The
 * gate below also caps how many run at once, so a flood of sign-ins queues instead of taking every
 * core and every megabyte of the hub that serves the desks.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 1 << 13;
const R = 8;
const P = 10;
const KEY_LEN = 32;
/** Hashes computed at once; more wait their turn, first come first served. */
export const MAX_CONCURRENT_HASHES = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function gated<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    // The slot passes straight to the next in line (the count stays), or is given back.
    if (next) next();
    else running -= 1;
  }
}

/** How many hashes are being computed right now (tests and diagnostics). */
export function hashesRunning(): number {
  return running;
}

function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return gated(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key)));
      }),
  );
}

/** The memory scrypt needs for these parameters, with room to spare (Node refuses above maxmem). */
function maxmem(n: number, r: number, p: number): number {
  return 2 * 128 * r * (n + p + 2);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, { N, r: R, p: P, maxmem: maxmem(N, R, P) });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

interface Parsed {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const parsed = { n: Number(n), r: Number(r), p: Number(p), salt: Buffer.from(saltB64, 'base64'), key: Buffer.from(keyB64, 'base64') };
  // Bounds keep a damaged or hostile stored value from asking for gigabytes or years.
  const sane =
    Number.isInteger(parsed.n) && parsed.n >= 2 && parsed.n <= 1 << 20 && (parsed.n & (parsed.n - 1)) === 0 &&
    Number.isInteger(parsed.r) && parsed.r >= 1 && parsed.r <= 32 &&
    Number.isInteger(parsed.p) && parsed.p >= 1 && parsed.p <= 64 &&
    parsed.key.length > 0;
  return sane ? parsed : null;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const opts = { N: parsed.n, r: parsed.r, p: parsed.p, maxmem: maxmem(parsed.n, parsed.r, parsed.p) };
  const actual = await scryptAsync(password, parsed.salt, opts);
  return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
}

/** True when a stored hash was made with other parameters than today's: store a new one once the secret is known right. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return parsed === null || parsed.n !== N || parsed.r !== R || parsed.p !== P || parsed.key.length !== KEY_LEN;
}

/** A hash of a random password, verified against when the login is unknown (same timing). */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
