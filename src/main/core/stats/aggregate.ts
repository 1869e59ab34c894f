/**
 * The day aggregate (decision 015) and how a period's figures are combined from day aggregates.
 * Pure: no database here (see day-aggregates.ts for reading and writing them).
 *
 * A day aggregate holds counts by every dimension the report shows, the day's arrivals per local
 * hour (the heat map is their sum per weekday), exact value → count histograms of the day's
 * durations in tenths of a minute, the unit the figures show (so medians and 9th deciles of any
 * period are exact nearest-rank
 * values over the individual passages, never medians of medians), and, for distinct persons, the
 * day's recognised persons counted by the day of their previous visit: a person counts in a
 * period [from, to] on the first day of the period they came, i.e. on each day of the period
 * where their previous visit is before `from` (or unknown).
 *
 * The closed-day rule (decision 016): every event counts on the day it happens (a passage on its
 * arrival day, a contact on its day, a hand-over's creation and each of its outcomes on the day
 * of that event); an event recorded on a day after that day was closed counts on the next day.
 */
import type { Figures } from '../../../shared/api/methods/stats';
import { parseLocalDay, type LocalDay } from '../../../shared/time/paris';

export const AGGREGATE_FORMAT = 2;

export interface DayAggregate {
  day: LocalDay;
  // Passages, on their arrival day (cancelled registrations excluded).
  arrivals: number;
  /** Passages received: done, or handed over to another institution (RECEIVED_STATES). */
  received: number;
  /** Of which handed over (state handed_over, decision 018). */
  handedOver: number;
  left: number;
  noShow: number;
  closedUnseen: number;
  outsideHours: number;
  byService: Record<string, number>;
  /** Arrivals per local hour (24 cells, Europe/Paris wall clock). */
  byHour: number[];
  /** Arrival → first call, in tenths of a minute: flattened [value, count, value, count, …], values ascending. */
  waits: number[];
  /** Start → finish of passages received (done or handed over), tenths of a minute, same layout. */
  services: number[];
  // Contacts, on their day.
  contacts: number;
  /** Contacts where the person agreed to be recognised (a key was recorded). */
  identified: number;
  byChannel: Record<string, number>;
  byDomain: Record<string, number>;
  byOrientation: Record<string, number>;
  /** Distinct recognised persons of the day by their previous visit: [previous visit day number (−1: none known), count, …]. */
  persons: number[];
  // Hand-overs, each event on its day.
  handoffs: number;
  /** Outcomes recorded on the day, by the state reached (accepted, completed, declined, expired, cancelled, person_left). */
  handoffOutcomes: Record<string, number>;
  /** First answers recorded on the day: acceptances, and closings of hand-overs never accepted. */
  handoffAnswers: number;
  /** Creation → acceptance of the day's acceptances, tenths of a minute (histogram layout). */
  acceptDelays: number[];
}

export function emptyAggregate(day: LocalDay): DayAggregate {
  return {
    day,
    arrivals: 0,
    received: 0,
    handedOver: 0,
    left: 0,
    noShow: 0,
    closedUnseen: 0,
    outsideHours: 0,
    byService: {},
    byHour: new Array<number>(24).fill(0),
    waits: [],
    services: [],
    contacts: 0,
    identified: 0,
    byChannel: {},
    byDomain: {},
    byOrientation: {},
    persons: [],
    handoffs: 0,
    handoffOutcomes: {},
    handoffAnswers: 0,
    acceptDelays: [],
  };
}

export function isEmptyAggregate(a: DayAggregate): boolean {
  return a.arrivals === 0 && a.contacts === 0 && a.handoffs === 0 && a.handoffAnswers === 0 && Object.keys(a.handoffOutcomes).length === 0;
}

/** Days since 1970-01-01 of a local day (the unit of `persons`). */
export function dayNumber(day: LocalDay): number {
  const { year, month, day: d } = parseLocalDay(day);
  return Date.UTC(year, month - 1, d) / 86_400_000;
}

/**
 * A duration between two ISO instants in tenths of a minute (6 s), rounded: the unit the figures
 * show. Rounding is monotone, so the nearest-rank percentile of the rounded values is the rounded
 * percentile of the exact ones: histograms in this unit give exactly the figure a computation on
 * every individual value would show, with far fewer distinct values to store and merge.
 */
export function tenthsBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 6000);
}

/** Values → the flattened histogram layout [value, count, …] (values ascending). */
export function toHistogram(values: number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).flat();
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * Merged value → count histogram. Durations of a reception desk are minutes to days, so
 * values 0..DENSE-1 (six days in tenths of a minute) are counted in a typed array (merging a day costs its few hundred distinct
 * values, whatever the period); anything else (negative after a clock fix, over a day) in a map.
 */
const DENSE = 86_400;
export class Histogram {
  private dense = new Uint32Array(0);
  private readonly sparse = new Map<number, number>();
  private maxDense = -1;
  total = 0;

  /** Makes the dense array long enough for `value` (doubling, at most DENSE). */
  private reserve(value: number): void {
    if (value < this.dense.length) return;
    const grown = new Uint32Array(Math.min(DENSE, Math.max(1024, Math.floor(value) + 1, this.dense.length * 2)));
    grown.set(this.dense);
    this.dense = grown;
  }

  /** Adds a flattened histogram (values ascending): the dense part in one tight loop after one resize. */
  addFlat(flat: number[]): void {
    const n = flat.length;
    let i = 0;
    while (i < n && !(flat[i]! >= 0)) {
      this.add(flat[i]!, flat[i + 1]!);
      i += 2;
    }
    let end = n;
    while (end > i && !(flat[end - 2]! < DENSE)) end -= 2;
    if (end > i) {
      const top = flat[end - 2]!;
      this.reserve(top);
      const dense = this.dense;
      let total = 0;
      for (let j = i; j < end; j += 2) {
        const v = flat[j]!;
        const c = flat[j + 1]!;
        if (Number.isInteger(v)) dense[v]! += c;
        else this.sparse.set(v, (this.sparse.get(v) ?? 0) + c);
        total += c;
      }
      this.total += total;
      if (top > this.maxDense) this.maxDense = Math.floor(top);
    }
    for (let j = end; j < n; j += 2) this.add(flat[j]!, flat[j + 1]!);
  }

  add(value: number, count: number): void {
    this.total += count;
    if (value >= 0 && value < DENSE && Number.isInteger(value)) {
      this.reserve(value);
      this.dense[value]! += count;
      if (value > this.maxDense) this.maxDense = value;
    } else {
      this.sparse.set(value, (this.sparse.get(value) ?? 0) + count);
    }
  }

  /** Nearest-rank percentiles, in the order asked (null when empty). */
  percentiles(ps: number[]): (number | null)[] {
    if (this.total === 0) return ps.map(() => null);
    const ranks = ps.map((p) => Math.max(1, Math.ceil((p / 100) * this.total)));
    const out: (number | null)[] = ps.map(() => null);
    // Values outside the dense range (negative, fractional, too large), in order among the dense ones.
    const sparse = [...this.sparse.entries()].sort((a, b) => a[0] - b[0]);
    let next = 0;
    let seen = 0;
    let found = 0;
    const visit = (value: number, count: number): boolean => {
      const before = seen;
      seen += count;
      for (let i = 0; i < ranks.length; i++) {
        if (out[i] === null && ranks[i]! > before && ranks[i]! <= seen) {
          out[i] = value;
          found++;
        }
      }
      return found === ranks.length;
    };
    const dense = this.dense;
    for (let v = 0; v <= this.maxDense; v++) {
      while (next < sparse.length && sparse[next]![0] < v) if (visit(...sparse[next++]!)) return out;
      const c = dense[v]!;
      if (c !== 0 && visit(v, c)) return out;
    }
    while (next < sparse.length) if (visit(...sparse[next++]!)) return out;
    return out;
  }
}

/**
 * Stored form of a flattened histogram [value, count, …] (values ascending): values as
 * differences from the previous one, so that the stored text is about half as long and parses
 * twice as fast. `decodeFlat(encodeFlat(h))` is `h`.
 */
export function encodeFlat(flat: number[]): number[] {
  const out = flat.slice();
  for (let i = flat.length - 2; i >= 2; i -= 2) out[i] = flat[i]! - flat[i - 2]!;
  return out;
}

export function decodeFlat(stored: number[]): number[] {
  for (let i = 2; i < stored.length; i += 2) stored[i]! += stored[i - 2]!;
  return stored;
}

const HISTOGRAMS = ['waits', 'services', 'persons', 'acceptDelays'] as const;

/** A day aggregate as stored (histograms delta-encoded). */
export function encodeAggregate(a: DayAggregate): DayAggregate {
  const out = { ...a };
  for (const k of HISTOGRAMS) out[k] = encodeFlat(a[k]);
  return out;
}

/** Decodes in place what `encodeAggregate` stored (after JSON.parse). */
export function decodeAggregate(a: DayAggregate): DayAggregate {
  for (const k of HISTOGRAMS) decodeFlat(a[k]);
  return a;
}

/** A rollup as stored: its totals' histograms and its per-day series (by day number) delta-encoded. */
export function encodeRollup(r: Rollup): Rollup {
  const days = r.days.slice();
  for (let i = days.length - 3; i >= 3; i -= 3) days[i] = r.days[i]! - r.days[i - 3]!;
  return { ...r, totals: encodeAggregate(r.totals), days };
}

export function decodeRollup(r: Rollup): Rollup {
  decodeAggregate(r.totals);
  for (let i = 3; i < r.days.length; i += 3) r.days[i]! += r.days[i - 3]!;
  return r;
}

/**
 * A calendar month or year rolled up from its day aggregates (decision 015), so that a long
 * period reads a few rows: `totals` has the shape of a day aggregate dated `from` (counts and
 * exact histograms merged; persons kept only when their previous visit is before `from`, the only
 * ones that can count in a period containing the whole range), `days` the arrivals and contacts of
 * each active day (the report's per-day series), `heat` the arrivals by weekday × hour.
 */
export interface Rollup {
  kind: 'month' | 'year';
  from: LocalDay;
  to: LocalDay;
  totals: DayAggregate;
  /** Flattened [day number, arrivals, contacts, …] of the days with activity. */
  days: number[];
  /** 7 × 24 cells: index (weekday − 1) × 24 + hour. */
  heat: number[];
}

function mergeFlat(hists: number[][]): number[] {
  const m = new Map<number, number>();
  for (const h of hists) for (let i = 0; i < h.length; i += 2) m.set(h[i]!, (m.get(h[i]!) ?? 0) + h[i + 1]!);
  return [...m.entries()].sort((a, b) => a[0] - b[0]).flat();
}

function mergeCounts(list: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of list) for (const k in r) out[k] = (out[k] ?? 0) + r[k]!;
  return out;
}

/** Merges day aggregates or smaller rollups, all inside [from, to], into the rollup of [from, to]. */
export function rollUp(kind: Rollup['kind'], from: LocalDay, to: LocalDay, parts: { days: DayAggregate[]; rollups: Rollup[] }): Rollup {
  const all = [...parts.days, ...parts.rollups.map((r) => r.totals)];
  const fromNumber = dayNumber(from);
  const sum = (f: (a: DayAggregate) => number) => all.reduce((n, a) => n + f(a), 0);
  const totals: DayAggregate = {
    day: from,
    arrivals: sum((a) => a.arrivals),
    received: sum((a) => a.received),
    handedOver: sum((a) => a.handedOver),
    left: sum((a) => a.left),
    noShow: sum((a) => a.noShow),
    closedUnseen: sum((a) => a.closedUnseen),
    outsideHours: sum((a) => a.outsideHours),
    byService: mergeCounts(all.map((a) => a.byService)),
    byHour: Array.from({ length: 24 }, (_, h) => sum((a) => a.byHour[h] ?? 0)),
    waits: mergeFlat(all.map((a) => a.waits)),
    services: mergeFlat(all.map((a) => a.services)),
    contacts: sum((a) => a.contacts),
    identified: sum((a) => a.identified),
    byChannel: mergeCounts(all.map((a) => a.byChannel)),
    byDomain: mergeCounts(all.map((a) => a.byDomain)),
    byOrientation: mergeCounts(all.map((a) => a.byOrientation)),
    persons: mergeFlat(all.map((a) => a.persons)).filter((_, i, flat) => (i % 2 === 0 ? flat[i]! < fromNumber : flat[i - 1]! < fromNumber)),
    handoffs: sum((a) => a.handoffs),
    handoffOutcomes: mergeCounts(all.map((a) => a.handoffOutcomes)),
    handoffAnswers: sum((a) => a.handoffAnswers),
    acceptDelays: mergeFlat(all.map((a) => a.acceptDelays)),
  };
  const heat = new Array<number>(7 * 24).fill(0);
  const days: number[] = [];
  for (const d of parts.days) {
    const n = dayNumber(d.day);
    const weekday = ((((n + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (ISO 4)
    for (let h = 0; h < 24; h++) heat[(weekday - 1) * 24 + h]! += d.byHour[h] ?? 0;
    if (d.arrivals !== 0 || d.contacts !== 0) days.push(n, d.arrivals, d.contacts);
  }
  for (const r of parts.rollups) {
    for (let i = 0; i < heat.length; i++) heat[i]! += r.heat[i] ?? 0;
    days.push(...r.days);
  }
  return { kind, from, to, totals, days, heat };
}

const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
const minutes = (tenths: number | null): number | null => (tenths === null ? null : tenths / 10);

function addCounts(into: Map<string, number>, from: Record<string, number>): void {
  for (const key in from) into.set(key, (into.get(key) ?? 0) + from[key]!);
}

function counts(m: Map<string, number>): { key: string; count: number }[] {
  return [...m]
    .filter(([, count]) => count !== 0)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The figures of [from, to] from the aggregates of its days (days without activity may be missing). */
export function combineFigures(from: LocalDay, to: LocalDay, days: Iterable<DayAggregate>): Figures {
  const fromNumber = dayNumber(from);
  const waits = new Histogram();
  const services = new Histogram();
  const accepts = new Histogram();
  const byService = new Map<string, number>();
  const byChannel = new Map<string, number>();
  const byDomain = new Map<string, number>();
  const byOrientation = new Map<string, number>();
  const outcomes = new Map<string, number>();
  const byHour = new Array<number>(24).fill(0);
  let arrivals = 0;
  let received = 0;
  let handedOver = 0;
  let left = 0;
  let noShow = 0;
  let closedUnseen = 0;
  let outsideHours = 0;
  let contacts = 0;
  let identified = 0;
  let distinct = 0;
  let handoffs = 0;
  let answers = 0;
  for (const a of days) {
    if (a.day < from || a.day > to) continue;
    arrivals += a.arrivals;
    received += a.received;
    handedOver += a.handedOver;
    left += a.left;
    noShow += a.noShow;
    closedUnseen += a.closedUnseen;
    outsideHours += a.outsideHours;
    addCounts(byService, a.byService);
    for (let h = 0; h < 24; h++) byHour[h]! += a.byHour[h] ?? 0;
    waits.addFlat(a.waits);
    services.addFlat(a.services);
    contacts += a.contacts;
    identified += a.identified;
    addCounts(byChannel, a.byChannel);
    addCounts(byDomain, a.byDomain);
    addCounts(byOrientation, a.byOrientation);
    // Previous visits ascending: the ones before the period come first.
    const persons = a.persons;
    for (let i = 0; i < persons.length && persons[i]! < fromNumber; i += 2) distinct += persons[i + 1]!;
    handoffs += a.handoffs;
    addCounts(outcomes, a.handoffOutcomes);
    answers += a.handoffAnswers;
    accepts.addFlat(a.acceptDelays);
  }
  const [waitMedian, waitP90] = waits.percentiles([50, 90]);
  const [serviceMedian] = services.percentiles([50]);
  const [acceptMedian] = accepts.percentiles([50]);
  const accepted = outcomes.get('accepted') ?? 0;
  return {
    from,
    to,
    arrivals,
    received,
    handedOver,
    contacts,
    identifiedPassages: identified,
    distinctPersons: distinct,
    anonymousContacts: contacts - identified,
    waitMedian: minutes(waitMedian!),
    waitP90: minutes(waitP90!),
    serviceMedian: minutes(serviceMedian!),
    left,
    noShow,
    closedUnseen,
    leftRate: arrivals === 0 ? null : round1(((left + noShow + closedUnseen) / arrivals) * 100),
    outsideHours,
    handoffs,
    handoffAcceptance: answers === 0 ? null : round1((accepted / answers) * 100),
    handoffAcceptMedian: minutes(acceptMedian!),
    byService: counts(byService),
    byChannel: counts(byChannel),
    byDomain: counts(byDomain),
    byOrientation: counts(byOrientation),
    handoffsByState: counts(outcomes),
    arrivalsByHour: byHour.map((count, hour) => ({ hour, count })),
  };
}
