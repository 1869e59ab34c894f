/** Small hooks shared by pages. */
import { useEffect, useState } from 'react';
import { api, type VersionMismatch } from './api/client';

/** The current time, refreshed every `ms` milliseconds (live clocks and waited times). */
export function useNow(ms = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** Set once the hub refuses this page's version of the contract (VersionMismatchPage). */
export function useVersionMismatch(): VersionMismatch | null {
  const [mismatch, setMismatch] = useState<VersionMismatch | null>(null);
  useEffect(() => api.onVersionMismatch(setMismatch), []);
  return mismatch;
}
