/**
 * A small deterministic pseudo-random generator for demo data: sfc32 (128-bit state, passes
 * PractRand far beyond what a seed needs) seeded from a string with cyrb128. Same seed string,
 * same sequence, on every platform: nothing here touches Math.random, the clock or crypto.
 */

/** cyrb128: four 32-bit hashes of a string, used as the generator's initial state. */
export function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = hashSeed(seed);
    // Discard the first outputs, as the sfc32 authors recommend.
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniform number in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Gamma(2, 1) deviate: the sum of two exponentials (mean 2), right-skewed like waiting times. */
  gamma2(): number {
    return -Math.log(1 - this.next()) - Math.log(1 - this.next());
  }

  /**
   * A UUIDv7 (RFC 9562) for an instant: 48-bit Unix milliseconds, version 7, variant 10, and
   * 74 bits from this generator, so ids sort by time and are reproducible from the seed.
   */
  uuidv7(instant: number): string {
    const ms = Math.floor(instant);
    const hi = Math.floor(ms / 0x1000000);
    const lo = ms - hi * 0x1000000;
    const r1 = this.u32();
    const r2 = this.u32();
    const r3 = this.u32();
    const randA = 0x7000 | (r1 & 0x0fff);
    const variant = 0x8000 | ((r1 >>> 12) & 0x3fff);
    return (
      HEX[(hi >>> 16) & 0xff]! +
      HEX[(hi >>> 8) & 0xff]! +
      HEX[hi & 0xff]! +
      HEX[(lo >>> 16) & 0xff]! +
      '-' +
      HEX[(lo >>> 8) & 0xff]! +
      HEX[lo & 0xff]! +
      '-' +
      HEX[randA >>> 8]! +
      HEX[randA & 0xff]! +
      '-' +
      HEX[variant >>> 8]! +
      HEX[variant & 0xff]! +
      '-' +
      HEX[r2 >>> 24]! +
      HEX[(r2 >>> 16) & 0xff]! +
      HEX[(r2 >>> 8) & 0xff]! +
      HEX[r2 & 0xff]! +
      HEX[(r3 >>> 8) & 0xff]! +
      HEX[r3 & 0xff]!
    );
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedPrefix = '';

/** `new Date(ms).toISOString()`, several times faster (the date part is cached per UTC day). */
export function isoUtc(ms: number): string {
  const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
  if (dayStart !== cachedDay) {
    cachedDay = dayStart;
    cachedPrefix = new Date(dayStart).toISOString().slice(0, 11);
  }
  let rest = Math.floor(ms - dayStart);
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  const hour = (rest - min) / 60;
  return `${cachedPrefix}${P2[hour]!}:${P2[min]!}:${P2[sec]!}.${P3[milli]!}Z`;
}

/** Picks among weighted items; weights need not sum to 1. */
export class Weighted<T> {
  private readonly items: T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    const kept = entries.filter(([, w]) => w > 0);
    if (kept.length === 0) throw new Error('Weighted: no item with a positive weight');
    this.items = kept.map(([item]) => item);
    let sum = 0;
    this.cumulative = kept.map(([, w]) => (sum += w));
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }

  get size(): number {
    return this.items.length;
  }
}
