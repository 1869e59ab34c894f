/** Live queue state: the day's entries and the site's queue configuration, refreshed on every event. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueueEntry } from '../../../../shared/api/methods/queue';
import type { QueueConfig } from '../../../../shared/queue/config';
import { api, errorMessage } from '../../api/client';

export interface QueueState {
  entries: QueueEntry[];
  config: QueueConfig | null;
  /** Server time of the last load minus local time, to show waits from the hub's clock. */
  clockSkewMs: number;
  error: string | null;
  reload(): Promise<void>;
}

export function useQueue(): QueueState {
  const [entries, setEntries] = useState<QueueEntry[]>([]);
  const [config, setConfig] = useState<QueueConfig | null>(null);
  const [clockSkewMs, setSkew] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  const reload = useCallback(async () => {
    // Coalesce bursts of events into at most one extra load.
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const run = async () => {
      do {
        again.current = false;
        try {
          const [list, cfg] = await Promise.all([api.call('queue.list', {}), api.call('queue.getConfig', {})]);
          setEntries(list.entries);
          setConfig(cfg);
          setSkew(Date.parse(list.now) - Date.now());
          setError(null);
        } catch (e) {
          setError(errorMessage(e));
        }
      } while (again.current);
    };
    inFlight.current = run().finally(() => (inFlight.current = null));
    return inFlight.current;
  }, []);

  useEffect(() => {
    void reload();
    const off = api.on('queue.changed', () => void reload());
    const offConn = api.onConnection((s) => s === 'online' && void reload());
    return () => {
      off();
      offConn();
    };
  }, [reload]);

  return { entries, config, clockSkewMs, error, reload };
}
