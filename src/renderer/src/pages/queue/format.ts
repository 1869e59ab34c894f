/** Display helpers for the queue: waited time, ticket read aloud. */
import type { QueueEntry } from '../../../../shared/api/methods/queue';
import { formatDuration } from '../../../../shared/format/fr';

/** Minutes waited: until the first call, or until now for people still waiting. */
export function waitedMinutes(e: QueueEntry, now: Date): number {
  const end = e.firstCalledAt ? Date.parse(e.firstCalledAt) : e.state === 'waiting' ? now.getTime() : Date.parse(e.endedAt ?? e.arrivedAt);
  return Math.max(0, Math.floor((end - Date.parse(e.arrivedAt)) / 60_000));
}

export function serviceMinutes(e: QueueEntry): number | null {
  if (!e.startedAt || !e.finishedAt) return null;
  return Math.max(0, Math.round((Date.parse(e.finishedAt) - Date.parse(e.startedAt)) / 60_000));
}

/** `45 min`, `1 h 05`: the one duration format of the app (src/shared/format/fr.ts). */
export function formatMinutes(m: number): string {
  return formatDuration(m);
}

/** "C-014" → "C 14": how the ticket is said aloud and shown on the display. */
export function ticketSpoken(ticket: string): string {
  const [prefix, number] = ticket.split('-');
  return `${prefix} ${Number(number)}`;
}
