/** Whether today is closed (who closed it, when), live through `day.changed`. */
import { useCallback, useEffect, useState } from 'react';
import type { DayClosing } from '../../../../shared/api/methods/stats';
import { localDay } from '../../../../shared/time/paris';
import { api } from '../../api/client';

export function useTodayClosing(): DayClosing | null {
  const [closing, setClosing] = useState<DayClosing | null>(null);
  const load = useCallback(async () => {
    const today = localDay(new Date());
    try {
      const r = await api.call('days.list', { from: today, to: today });
      setClosing(r.closings.find((c) => c.day === today && c.state === 'closed') ?? null);
    } catch {
      // Not essential to the desk: the hub answers LOCKED anyway when the day is closed.
    }
  }, []);
  useEffect(() => {
    void load();
    const off = api.on('day.changed', () => void load());
    const offConn = api.onConnection((s) => s === 'online' && void load());
    return () => {
      off();
      offConn();
    };
  }, [load]);
  return closing;
}
