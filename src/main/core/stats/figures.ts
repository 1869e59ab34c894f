/**
 * The site's figures over a range of local days, computed from timestamps (never counted
 * separately) with indexed range queries on `day`, so a day costs the same in a database of one
 * day or of ten years. Definitions live in shared/stats/indicators.ts.
 */
import type { Figures } from '../../../shared/api/methods/stats';
import type { LocalDay } from '../../../shared/time/paris';
import { localMinutes } from '../../../shared/time/paris';
import type { CoreContext } from '../context';
import { RECEIVED_STATES, type QueueState } from '../../../shared/queue/states';

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
const minutesBetween = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 60_000;

function counts(rows: { key: string | null; count: number }[]): { key: string; count: number }[] {
  return rows
    .filter((r): r is { key: string; count: number } => r.key !== null)
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function computeFigures(ctx: CoreContext, from: LocalDay, to: LocalDay): Figures {
  const db = ctx.store.sqlite;
  const entries = db
    .prepare(
      `SELECT state, service_code AS service, arrived_at AS arrivedAt, first_called_at AS firstCalledAt, started_at AS startedAt,
              finished_at AS finishedAt, outside_hours AS outsideHours
       FROM queue_entries WHERE day BETWEEN ? AND ? AND state <> 'cancelled' AND deleted_at IS NULL`,
    )
    .all(from, to) as {
    state: string;
    service: string;
    arrivedAt: string;
    firstCalledAt: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    outsideHours: number;
  }[];

  const waits: number[] = [];
  const services: number[] = [];
  const byService = new Map<string, number>();
  const byHour = new Array<number>(24).fill(0);
  let received = 0;
  let handedOver = 0;
  let left = 0;
  let noShow = 0;
  let closedUnseen = 0;
  let outsideHours = 0;
  for (const e of entries) {
    if (e.firstCalledAt) waits.push(minutesBetween(e.arrivedAt, e.firstCalledAt));
    const isReceived = RECEIVED_STATES.includes(e.state as QueueState);
    if (isReceived) received++;
    if (e.state === 'handed_over') handedOver++;
    if (isReceived && e.startedAt && e.finishedAt) services.push(minutesBetween(e.startedAt, e.finishedAt));
    byService.set(e.service, (byService.get(e.service) ?? 0) + 1);
    byHour[Math.floor(localMinutes(new Date(e.arrivedAt)) / 60)]! += 1;
    if (e.state === 'left') left++;
    else if (e.state === 'no_show') noShow++;
    else if (e.state === 'closed') closedUnseen++;
    if (e.outsideHours) outsideHours++;
  }

  const contactTotals = db
    .prepare(
      `SELECT count(*) AS contacts, count(person_key) AS identified, count(DISTINCT person_key) AS distinctPersons
       FROM contacts WHERE day BETWEEN ? AND ? AND deleted_at IS NULL`,
    )
    .get(from, to) as { contacts: number; identified: number; distinctPersons: number };
  const byChannel = db
    .prepare('SELECT channel AS key, count(*) AS count FROM contacts WHERE day BETWEEN ? AND ? AND deleted_at IS NULL GROUP BY channel')
    .all(from, to) as { key: string; count: number }[];
  const byDomain = db
    .prepare('SELECT domain_code AS key, count(*) AS count FROM contact_domains WHERE day BETWEEN ? AND ? AND deleted_at IS NULL GROUP BY domain_code')
    .all(from, to) as { key: string; count: number }[];
  const byOrientation = db
    .prepare(
      `SELECT orientation_target AS key, count(*) AS count FROM contacts
       WHERE day BETWEEN ? AND ? AND deleted_at IS NULL AND orientation_target IS NOT NULL GROUP BY orientation_target`,
    )
    .all(from, to) as { key: string; count: number }[];

  const handoffs = db
    .prepare('SELECT state, created_at AS createdAt, accepted_at AS acceptedAt FROM handoffs WHERE day BETWEEN ? AND ? AND deleted_at IS NULL')
    .all(from, to) as { state: string; createdAt: string; acceptedAt: string | null }[];
  const handoffsByState = new Map<string, number>();
  const acceptDelays: number[] = [];
  for (const h of handoffs) {
    handoffsByState.set(h.state, (handoffsByState.get(h.state) ?? 0) + 1);
    if (h.acceptedAt) acceptDelays.push(minutesBetween(h.createdAt, h.acceptedAt));
  }

  const arrivals = entries.length;
  return {
    from,
    to,
    arrivals,
    received,
    handedOver,
    contacts: contactTotals.contacts,
    identifiedPassages: contactTotals.identified,
    distinctPersons: contactTotals.distinctPersons,
    anonymousContacts: contactTotals.contacts - contactTotals.identified,
    waitMedian: round1(percentile(waits, 50)),
    waitP90: round1(percentile(waits, 90)),
    serviceMedian: round1(percentile(services, 50)),
    left,
    noShow,
    closedUnseen,
    leftRate: arrivals === 0 ? null : round1(((left + noShow + closedUnseen) / arrivals) * 100),
    outsideHours,
    handoffs: handoffs.length,
    handoffAcceptance: handoffs.length === 0 ? null : round1((acceptDelays.length / handoffs.length) * 100),
    handoffAcceptMedian: round1(percentile(acceptDelays, 50)),
    byService: counts([...byService].map(([key, count]) => ({ key, count }))),
    byChannel: counts(byChannel),
    byDomain: counts(byDomain),
    byOrientation: counts(byOrientation),
    handoffsByState: counts([...handoffsByState].map(([key, count]) => ({ key, count }))),
    arrivalsByHour: byHour.map((count, hour) => ({ hour, count })),
  };
}
