/** The queue's state table (every action × state) and its ordering policy (property-based). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canTransition, FINAL_STATES, nextState, OPEN_STATES, QUEUE_ACTIONS, QUEUE_STATES, RECEIVED_STATES, type QueueAction, type QueueState } from '../../src/shared/queue/states';
import { orderQueue, type Orderable } from '../../src/shared/queue/ordering';

/** Written independently of the implementation: action → (from → to). */
const EXPECTED: Record<QueueAction, Partial<Record<QueueState, QueueState>>> = {
  call: { waiting: 'called' },
  recall: { called: 'called' },
  start: { waiting: 'in_progress', called: 'in_progress' },
  // Finishing a called person implies "start" (decision 019).
  finish: { called: 'done', in_progress: 'done' },
  noShow: { called: 'no_show' },
  left: { waiting: 'left', called: 'left' },
  cancel: { waiting: 'cancelled', called: 'cancelled' },
  move: { waiting: 'waiting', called: 'waiting', in_progress: 'waiting' },
  reorder: { waiting: 'waiting' },
  // A hand-over made from an open ticket ends it (decision 018).
  handOver: { waiting: 'handed_over', called: 'handed_over', in_progress: 'handed_over' },
  close: { waiting: 'closed', called: 'closed' },
};

describe('queue state table', () => {
  it('counts done and handed-over passages as received, and nothing else', () => {
    expect([...RECEIVED_STATES].sort()).toEqual(['done', 'handed_over']);
    for (const s of RECEIVED_STATES) expect(FINAL_STATES).toContain(s);
    // Every state is open or final, never both.
    for (const s of QUEUE_STATES) expect(OPEN_STATES.includes(s)).toBe(!FINAL_STATES.includes(s));
    // A final state has no way out.
    for (const s of FINAL_STATES) for (const a of QUEUE_ACTIONS) expect(canTransition(a, s)).toBe(false);
  });

  for (const action of QUEUE_ACTIONS) {
    for (const state of QUEUE_STATES) {
      const target = EXPECTED[action][state];
      it(`${action} from ${state} ${target ? `→ ${target}` : 'is forbidden'}`, () => {
        expect(canTransition(action, state)).toBe(target !== undefined);
        if (target) expect(nextState(action, state)).toBe(target);
      });
    }
  }
});

const POLICY = { priorityBonusMinutes: 20, appointmentGraceMinutes: 10 };
const BASE = Date.parse('2026-11-23T08:30:00Z');
const NOW = new Date(BASE + 4 * 3600_000);

const entry = fc.record({
  minute: fc.integer({ min: 0, max: 240 }),
  priority: fc.boolean(),
  appointmentMinute: fc.option(fc.integer({ min: 0, max: 360 }), { nil: null }),
});

function build(specs: { minute: number; priority: boolean; appointmentMinute: number | null }[]): Orderable[] {
  return specs.map((s, i) => ({
    id: `id-${String(i).padStart(4, '0')}`,
    arrivedAt: new Date(BASE + s.minute * 60_000).toISOString(),
    appointmentAt: s.appointmentMinute === null ? null : new Date(BASE + s.appointmentMinute * 60_000).toISOString(),
    priorityReasons: s.priority ? ['enfant'] : [],
    sortOverride: null,
  }));
}

const due = (e: Orderable) => e.appointmentAt !== null && Date.parse(e.appointmentAt) - POLICY.appointmentGraceMinutes * 60_000 <= NOW.getTime();
const upcoming = (e: Orderable) => e.appointmentAt !== null && !due(e);

describe('ordering policy', () => {
  it('is a deterministic permutation', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (specs) => {
        const list = build(specs);
        const a = orderQueue(list, NOW, POLICY).map((e) => e.id);
        expect([...a].sort()).toEqual(list.map((e) => e.id).sort());
        expect(orderQueue([...list].reverse(), NOW, POLICY).map((e) => e.id)).toEqual(a);
      }),
    );
  });

  it('keeps arrival order among people without priority or appointment (FIFO)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 240 }), { maxLength: 40 }), (minutes) => {
        const list = build(minutes.map((m) => ({ minute: m, priority: false, appointmentMinute: null })));
        const ordered = orderQueue(list, NOW, POLICY);
        for (let i = 1; i < ordered.length; i++) expect(Date.parse(ordered[i - 1]!.arrivedAt)).toBeLessThanOrEqual(Date.parse(ordered[i]!.arrivedAt));
      }),
    );
  });

  it('never lets anyone overtake a person who arrived more than the priority bonus before them (no starvation)', () => {
    fc.assert(
      fc.property(fc.array(entry.map((e) => ({ ...e, appointmentMinute: null })), { maxLength: 40 }), (specs) => {
        const ordered = orderQueue(build(specs), NOW, POLICY);
        for (let i = 0; i < ordered.length; i++) {
          for (let j = i + 1; j < ordered.length; j++) {
            const ahead = Date.parse(ordered[i]!.arrivedAt);
            const behind = Date.parse(ordered[j]!.arrivedAt);
            // Whoever is placed ahead arrived at most `bonus` minutes after the one placed behind.
            expect(ahead - behind).toBeLessThanOrEqual(POLICY.priorityBonusMinutes * 60_000);
          }
        }
      }),
    );
  });

  it('honours due appointments first, in appointment order, and puts appointments not yet due last', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (specs) => {
        const ordered = orderQueue(build(specs), NOW, POLICY);
        const tiers = ordered.map((e) => (due(e) ? 0 : upcoming(e) ? 2 : 1));
        expect([...tiers].sort((a, b) => a - b)).toEqual(tiers);
        const dueTimes = ordered.filter(due).map((e) => Date.parse(e.appointmentAt!));
        expect([...dueTimes].sort((a, b) => a - b)).toEqual(dueTimes);
      }),
    );
  });

  it('puts a priority arrival ahead of people who arrived less than the bonus earlier', () => {
    const ordered = orderQueue(
      build([
        { minute: 0, priority: false, appointmentMinute: null },
        { minute: 10, priority: false, appointmentMinute: null },
        { minute: 15, priority: true, appointmentMinute: null },
      ]),
      NOW,
      POLICY,
    );
    expect(ordered.map((e) => e.id)).toEqual(['id-0002', 'id-0000', 'id-0001']);
  });
});
