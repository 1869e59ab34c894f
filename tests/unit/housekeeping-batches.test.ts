/**
 * A housekeeping backlog (first run after an upgrade, ten years of person keys to erase) is worked
 * off in statements sized to a time budget: a statement that took too long makes the next one
 * smaller, so that desks never wait for a long one; fast statements grow back up to BATCH.
 */
import { describe, expect, it } from 'vitest';
import { BATCH, inBatches, PAUSE_FACTOR, STEP_BUDGET_MS } from '../../src/main/api/housekeeping';

/** A backlog of `rows` rows whose statements cost `msPerRow` each (busy-waiting, like SQLite). */
function backlog(rows: number, msPerRow: number) {
  let left = rows;
  const steps: { limit: number; ms: number }[] = [];
  const step = (limit: number) => {
    const n = Math.min(left, limit);
    const t0 = performance.now();
    while (performance.now() - t0 < n * msPerRow) {
      // busy
    }
    left -= n;
    steps.push({ limit, ms: performance.now() - t0 });
    return n;
  };
  return { step, steps, left: () => left };
}

describe('housekeeping batches', () => {
  it('works off the whole backlog, with statements that stay near the time budget when rows are slow', async () => {
    const b = backlog(3000, 0.5); // 0.5 ms a row: 40 rows fit the 20 ms budget
    expect(await inBatches(b.step)).toBe(3000);
    expect(b.left()).toBe(0);
    const longest = Math.max(...b.steps.map((s) => s.ms));
    expect(longest).toBeLessThan(STEP_BUDGET_MS * 2.5);
    expect(Math.max(...b.steps.map((s) => s.limit))).toBeLessThan(BATCH);
  });

  it('grows to BATCH rows a statement when rows are cheap', async () => {
    const b = backlog(20_000, 0);
    expect(await inBatches(b.step)).toBe(20_000);
    expect(Math.max(...b.steps.map((s) => s.limit))).toBe(BATCH);
  });

  it('pauses after each statement for a multiple of its time: writing takes at most a quarter of the time', async () => {
    const b = backlog(600, 0.5);
    const t0 = performance.now();
    expect(await inBatches(b.step)).toBe(600);
    const elapsed = performance.now() - t0;
    const writing = b.steps.reduce((a, s) => a + s.ms, 0);
    const last = b.steps[b.steps.length - 1]!.ms; // no pause after the last one
    expect(elapsed).toBeGreaterThanOrEqual((writing - last) * (1 + PAUSE_FACTOR) * 0.95);
  });

  it('stops at the first statement that changes fewer rows than asked', async () => {
    const b = backlog(5, 0);
    expect(await inBatches(b.step)).toBe(5);
    expect(b.steps).toHaveLength(1);
  });
});
