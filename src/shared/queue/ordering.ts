/**
 * The order in which waiting people are called (pure, shared by the server's "call next" and the
 * board). Due appointments first, by appointment time; then everyone else by an effective
 * arrival time, where a priority counts as `priorityBonusMinutes` of extra waiting. Because the
 * bonus is bounded, someone who has waited longer than that ahead of a priority arrival is never
 * overtaken by it: nobody starves. Ties keep arrival order (FIFO), then id.
 * Appointments not yet due come last, in time order.
 */
import type { QueueConfig } from './config';

export interface Orderable {
  id: string;
  arrivedAt: string;
  appointmentAt: string | null;
  priorityReasons: readonly string[];
  /** Manual position set by a reorder (an effective arrival instant), or null. */
  sortOverride: string | null;
}

export type OrderTier = 'appointment' | 'arrival' | 'upcoming';

export function effectiveArrival(e: Orderable, policy: QueueConfig['policy']): number {
  if (e.sortOverride) return Date.parse(e.sortOverride);
  const bonus = e.priorityReasons.length > 0 ? policy.priorityBonusMinutes * 60_000 : 0;
  return Date.parse(e.arrivedAt) - bonus;
}

export function tierOf(e: Orderable, now: Date, policy: QueueConfig['policy']): OrderTier {
  if (!e.appointmentAt) return 'arrival';
  return Date.parse(e.appointmentAt) - policy.appointmentGraceMinutes * 60_000 <= now.getTime() ? 'appointment' : 'upcoming';
}

const TIER_RANK: Record<OrderTier, number> = { appointment: 0, arrival: 1, upcoming: 2 };

export function compareEntries<T extends Orderable>(a: T, b: T, now: Date, policy: QueueConfig['policy']): number {
  const ta = tierOf(a, now, policy);
  const tb = tierOf(b, now, policy);
  if (ta !== tb) return TIER_RANK[ta] - TIER_RANK[tb];
  const ka = ta === 'arrival' ? effectiveArrival(a, policy) : Date.parse(a.appointmentAt!);
  const kb = tb === 'arrival' ? effectiveArrival(b, policy) : Date.parse(b.appointmentAt!);
  if (ka !== kb) return ka - kb;
  const arrival = Date.parse(a.arrivedAt) - Date.parse(b.arrivedAt);
  if (arrival !== 0) return arrival;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function orderQueue<T extends Orderable>(entries: readonly T[], now: Date, policy: QueueConfig['policy']): T[] {
  return [...entries].sort((a, b) => compareEntries(a, b, now, policy));
}
