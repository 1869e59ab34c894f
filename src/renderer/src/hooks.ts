/** Small hooks shared by pages. */
import { useEffect, useState } from 'react';

/** The current time, refreshed every `ms` milliseconds (live clocks and waited times). */
export function useNow(ms = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
