/**
 * How many people are being received at this desk right now: queue entries called to « Mon
 * poste » or in progress there. The desktop app reads it (`window.escReceiving`, through
 * webContents.executeJavaScript, in both its standalone and satellite windows) and never restarts
 * for an update while it is not 0 (src/main/updates/policy.ts).
 */
import { useEffect } from 'react';
import type { QueueEntry } from '../../shared/api/methods/queue';

declare global {
  interface Window {
    escReceiving?: number;
  }
}

export function countReceiving(entries: readonly QueueEntry[], destination: string | null): number {
  if (!destination) return 0;
  return entries.filter((e) => (e.state === 'called' || e.state === 'in_progress') && e.calledTo === destination).length;
}

/** Publishes the count while the queue page is shown (the last value stays when it is left). */
export function useReportReceiving(entries: readonly QueueEntry[], destination: string | null): void {
  useEffect(() => {
    window.escReceiving = countReceiving(entries, destination);
  }, [entries, destination]);
}
