/**
 * Statistical secrecy (decision 024), property-based: whatever the counts, every small count is
 * masked, and no masked cell can be recovered from the published cells and totals by differences
 * (row, column and grand totals, iterated like an attacker would).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gridLines, maskLabel, protect, recoverableByDifferences, type SecrecyLine } from '../../src/shared/stats/secrecy';

/** A grid with published row, column and grand totals. */
function grid(cells: number[][]): { values: Map<string, number>; lines: SecrecyLine[] } {
  const rows = cells.map((_, i) => `r${i}`);
  const cols = cells[0]!.map((_, j) => `c${j}`);
  const key = (r: string, c: string) => `${r}/${c}`;
  const values = new Map<string, number>();
  cells.forEach((row, i) => row.forEach((v, j) => values.set(key(`r${i}`, `c${j}`), v)));
  for (const r of rows) values.set(key(r, 'T'), cols.reduce((s, c) => s + values.get(key(r, c))!, 0));
  for (const c of [...cols, 'T']) values.set(key('T', c), rows.reduce((s, r) => s + values.get(key(r, c))!, 0));
  return { values, lines: gridLines(rows, cols, key, { rowTotal: 'T', colTotal: 'T' }) };
}

const smallish = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 400 }));
const cellsArb = fc.integer({ min: 1, max: 7 }).chain((nc) => fc.array(fc.array(smallish, { minLength: nc, maxLength: nc }), { minLength: 1, maxLength: 7 }));

describe('statistical secrecy', () => {
  it('masks every count from 1 to threshold − 1 and keeps zeros and larger counts unless needed', () => {
    const { values, lines } = grid([
      [120, 3, 40],
      [80, 25, 0],
    ]);
    const { masked } = protect(values, lines, 5);
    expect(masked.get('r0/c1')).toBe('primary');
    // The row r0 and the column c1 would give the 3 back by difference: one more cell in each.
    expect(masked.get('r1/c1')).toBe('secondary');
    expect(masked.get('r0/c2')).toBe('secondary');
    expect(masked.has('r1/c2')).toBe(false); // a zero protects nothing
    expect(recoverableByDifferences(values, lines, new Set(masked.keys())).size).toBe(0);
    expect(maskLabel('primary', 5)).toBe('< 5');
    expect(maskLabel('secondary', 5)).toBe('s');
  });

  it('property: no small count is published, and none can be recovered by differences', () => {
    fc.assert(
      fc.property(cellsArb, fc.integer({ min: 2, max: 11 }), (cells, threshold) => {
        const { values, lines } = grid(cells);
        const { masked } = protect(values, lines, threshold);
        const hidden = new Set(masked.keys());
        for (const [k, v] of values) {
          if (v > 0 && v < threshold) expect(hidden.has(k), `${k}=${v} must be masked`).toBe(true);
        }
        const recovered = recoverableByDifferences(values, lines, hidden);
        for (const k of recovered) expect(masked.get(k), `${k} recovered`).not.toBe('primary');
        expect(recovered.size).toBe(0);
        // In every line with a published total, the masked cells hold together at least the threshold.
        for (const line of lines) {
          if (line.total === null || hidden.has(line.total)) continue;
          const m = line.cells.filter((k) => hidden.has(k));
          if (m.length === 0) continue;
          expect(m.length).toBeGreaterThanOrEqual(2);
          expect(m.reduce((s, k) => s + values.get(k)!, 0)).toBeGreaterThanOrEqual(threshold);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('property: linked tables sharing cells are protected together', () => {
    fc.assert(
      fc.property(cellsArb, fc.array(smallish, { minLength: 1, maxLength: 7 }), (cells, other) => {
        const { values, lines } = grid(cells);
        // A second table whose total is the first table's row r0 total (e.g. contacts by channel vs contacts).
        const second = other.map((v, i) => `x${i}`);
        const sum = other.reduce((s, v) => s + v, 0);
        other.forEach((v, i) => values.set(`x${i}`, v));
        // Make the link consistent: r0's total equals the second table's sum when possible.
        if (sum !== values.get('r0/T')) return;
        const all = [...lines, { cells: second, total: 'r0/T' }];
        const { masked } = protect(values, all, 5);
        expect(recoverableByDifferences(values, all, new Set(masked.keys())).size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic and masks nothing when no count is small', () => {
    const { values, lines } = grid([
      [50, 60],
      [70, 0],
    ]);
    expect(protect(values, lines, 5).masked.size).toBe(0);
    const a = grid([
      [1, 9, 9],
      [9, 2, 9],
      [9, 9, 3],
    ]);
    expect([...protect(a.values, a.lines, 5).masked]).toEqual([...protect(a.values, a.lines, 5).masked]);
  });
});
