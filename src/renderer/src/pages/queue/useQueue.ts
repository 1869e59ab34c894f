/**
 * Live queue state. The day is read once; then every `queue.changed` event carries the changed
 * entry and the day's version (docs/decisions/019): an event that follows the version this desk
 * holds is applied as it is, anything else (a missed event, several entries changed at once, a
 * reconnection) is caught up with `queue.list({ since })`, which returns only what changed. The
 * configuration is re-read only when it changes. Order, positions and tiers are computed here with
 * the same pure function as the hub (shared/queue/ordering.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EventPayload } from '../../../../shared/api/contract';
import type { QueueEntry } from '../../../../shared/api/methods/queue';
import type { QueueConfig } from '../../../../shared/queue/config';
import { orderQueue, tierOf } from '../../../../shared/queue/ordering';
import { canSeeService } from '../../../../shared/permissions';
import { api, errorMessage } from '../../api/client';
import { useNow } from '../../hooks';
import { useSession } from '../../session/SessionContext';

export interface QueueState {
  /** Called and in progress (latest call first), then waiting in call order, then ended (latest first). */
  entries: QueueEntry[];
  config: QueueConfig | null;
  /** Server time of the last load minus local time, to show waits from the hub's clock. */
  clockSkewMs: number;
  error: string | null;
  /** Catches up with the hub (what changed since the version held). */
  reload(): Promise<void>;
}

type Changed = EventPayload<'queue.changed'>;

interface Board {
  day: string;
  version: number;
  entries: Map<string, QueueEntry>;
}

function arrange(all: Iterable<QueueEntry>, config: QueueConfig, now: Date): QueueEntry[] {
  const list = [...all];
  const active = list
    .filter((e) => e.state === 'called' || e.state === 'in_progress')
    .sort((a, b) => (b.lastCalledAt ?? b.arrivedAt).localeCompare(a.lastCalledAt ?? a.arrivedAt));
  const waiting = list.filter((e) => e.state === 'waiting');
  const position = new Map<string, number>();
  for (const code of new Set(waiting.map((e) => e.serviceCode))) {
    orderQueue(
      waiting.filter((e) => e.serviceCode === code),
      now,
      config.policy,
    ).forEach((e, i) => position.set(e.id, i + 1));
  }
  const ordered = orderQueue(waiting, now, config.policy).map((e) => ({ ...e, position: position.get(e.id) ?? null, tier: tierOf(e, now, config.policy) }));
  const ended = list
    .filter((e) => !['waiting', 'called', 'in_progress'].includes(e.state))
    .sort((a, b) => (b.endedAt ?? b.finishedAt ?? '').localeCompare(a.endedAt ?? a.finishedAt ?? ''));
  return [...active, ...ordered, ...ended];
}

export function useQueue(): QueueState {
  const { me } = useSession();
  const [board, setBoard] = useState<Board | null>(null);
  const [config, setConfig] = useState<QueueConfig | null>(null);
  const [clockSkewMs, setSkew] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const boardRef = useRef<Board | null>(null);
  const configRef = useRef<QueueConfig | null>(null);
  const meRef = useRef(me);
  meRef.current = me;
  /** Events received while a read is in flight, applied after it in order. */
  const pending = useRef<Changed[] | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  const visible = useCallback((e: QueueEntry) => {
    const service = configRef.current?.services.find((s) => s.code === e.serviceCode);
    return canSeeService(meRef.current, service?.institution ?? null);
  }, []);

  const commit = useCallback((b: Board) => {
    boardRef.current = b;
    setBoard({ ...b, entries: new Map(b.entries) });
  }, []);

  const loadConfig = useCallback(async () => {
    try {
      const cfg = await api.call('queue.getConfig', {});
      configRef.current = cfg;
      setConfig(cfg);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  /** Applies one event; returns false when the board must catch up with the hub instead. */
  const apply = useCallback(
    (b: Board, p: Changed): boolean => {
      if (p.day !== b.day) return p.day < b.day; // an edit of a past day: not on this board; a new day: reload
      if (p.version <= b.version) return true; // already held, or the configuration only
      if (p.previousVersion !== b.version) return false; // a gap: events were missed
      if (!p.entry) return false; // several entries changed at once
      if (visible(p.entry)) b.entries.set(p.entry.id, p.entry);
      else b.entries.delete(p.entry.id);
      b.version = Math.max(b.version, p.version);
      return true;
    },
    [visible],
  );

  const reload = useCallback(async () => {
    // Coalesce bursts into at most one extra read.
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const run = async () => {
      do {
        again.current = false;
        pending.current = [];
        try {
          if (!configRef.current) await loadConfig();
          const held = boardRef.current;
          const list = await api.call('queue.list', held ? { since: held.version } : {});
          if (list.delta && (!held || held.day !== list.day)) {
            // A new day began since the board was read: read it whole.
            boardRef.current = null;
            again.current = true;
            continue;
          }
          const b: Board = list.delta && held && held.day === list.day ? { ...held, entries: new Map(held.entries) } : { day: list.day, version: 0, entries: new Map() };
          for (const e of list.entries) if (visible(e)) b.entries.set(e.id, e);
          for (const id of list.removedIds) b.entries.delete(id);
          b.version = list.version;
          for (const p of pending.current) if (!apply(b, p)) again.current = true;
          commit(b);
          setSkew(Date.parse(list.now) - Date.now());
          setError(null);
        } catch (e) {
          setError(errorMessage(e));
        } finally {
          pending.current = null;
        }
      } while (again.current);
    };
    inFlight.current = run().finally(() => (inFlight.current = null));
    return inFlight.current;
  }, [apply, commit, loadConfig, visible]);

  useEffect(() => {
    void reload();
    const off = api.on('queue.changed', (p) => {
      if (p.action === 'config') void loadConfig();
      if (pending.current) {
        pending.current.push(p);
        return;
      }
      const b = boardRef.current;
      if (!b) return;
      const next = { ...b, entries: new Map(b.entries) };
      if (apply(next, p)) commit(next);
      else void reload();
    });
    const offConn = api.onConnection((s) => s === 'online' && void reload());
    return () => {
      off();
      offConn();
    };
  }, [reload, apply, commit, loadConfig]);

  // Order and positions move with time (appointments become due): recomputed every 15 seconds.
  const tick = useNow(15_000);
  const entries = useMemo(
    () => (board && config ? arrange(board.entries.values(), config, new Date(tick.getTime() + clockSkewMs)) : []),
    [board, config, tick, clockSkewMs],
  );

  return { entries, config, clockSkewMs, error, reload };
}
