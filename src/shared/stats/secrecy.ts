/**
 * Statistical secrecy of published counts (decision 024): primary suppression of small counts
 * and secondary suppression so that no masked count can be recovered from the published totals
 * and differences, across linked tables (the same cell appearing in several tables is masked in
 * all of them).
 *
 * Rule, after INSEE's "secret statistique" practice for frequency tables and Eurostat's
 * statistical disclosure control handbook (threshold rule + secondary suppression):
 * 1. Primary: a count of persons/events n with 0 < n < threshold (default 5) is masked and shown
 *    "< 5". Zeros are published (no one to protect).
 * 2. Secondary: every published additive line (a row or a column whose total is published) must
 *    not let anyone recover a masked value by difference. In such a line either nothing is
 *    masked, or at least two cells are, and the masked cells together hold at least `threshold`
 *    (so that their recoverable sum is not itself a small count). Otherwise the smallest non-zero
 *    published cell of the line is masked too (shown "s"), or, failing that, the line's total.
 *    Repeated over all lines of all tables until nothing changes (a masked cell may open a new
 *    line to protect).
 *
 * Pure and deterministic: the same counts give the same masks.
 */

export interface SecrecyLine {
  /** Keys of the cells summing to `total` (interior cells). */
  cells: readonly string[];
  /** Key of the published total of these cells (null: no total published: nothing to derive). */
  total: string | null;
}

export type MaskReason = 'primary' | 'secondary';

export interface SecrecyResult {
  /** Masked keys and why. */
  masked: Map<string, MaskReason>;
}

export const DEFAULT_THRESHOLD = 5;

/**
 * Masks the counts of `values` (by key) so that `lines` reveal nothing below `threshold`.
 * `countKeys` are the keys subject to the rule (counts of persons or events); values not listed
 * are never masked primarily (e.g. days), but may still be secondary cells if they sit in a line.
 */
export function protect(values: ReadonlyMap<string, number>, lines: readonly SecrecyLine[], threshold = DEFAULT_THRESHOLD, countKeys?: ReadonlySet<string>): SecrecyResult {
  const masked = new Map<string, MaskReason>();
  const value = (k: string) => values.get(k) ?? 0;
  for (const [k, v] of values) {
    if ((countKeys === undefined || countKeys.has(k)) && v > 0 && v < threshold) masked.set(k, 'primary');
  }
  if (threshold <= 1) return { masked };
  let changed = true;
  let guard = 0;
  while (changed && guard++ < 10_000) {
    changed = false;
    for (const line of lines) {
      if (line.total === null) continue;
      const totalMasked = masked.has(line.total);
      const hidden = line.cells.filter((k) => masked.has(k));
      const unknowns = hidden.length + (totalMasked ? 1 : 0);
      if (unknowns === 0) continue;
      const hiddenSum = hidden.reduce((s, k) => s + value(k), 0);
      // Safe: at least two unknowns and, when the total is published, the recoverable sum of the
      // masked cells is not a small count (zero masked cells sum to zero only if none is primary).
      const safe = unknowns >= 2 && (totalMasked || hiddenSum === 0 || hiddenSum >= threshold);
      if (safe) continue;
      const candidates = line.cells.filter((k) => !masked.has(k) && value(k) > 0).sort((a, b) => value(a) - value(b) || a.localeCompare(b));
      const pick = candidates[0] ?? (totalMasked ? undefined : line.total);
      if (pick === undefined) continue;
      masked.set(pick, 'secondary');
      changed = true;
    }
  }
  return { masked };
}

/** Lines of a grid: rows × columns with optional published row totals and column totals. */
export function gridLines(rows: readonly string[], cols: readonly string[], key: (r: string, c: string) => string, opts: { rowTotal?: string | null; colTotal?: string | null }): SecrecyLine[] {
  const lines: SecrecyLine[] = [];
  const rowTotal = opts.rowTotal ?? null;
  const colTotal = opts.colTotal ?? null;
  for (const r of rows) lines.push({ cells: cols.map((c) => key(r, c)), total: rowTotal === null ? null : key(r, rowTotal) });
  for (const c of cols) lines.push({ cells: rows.map((r) => key(r, c)), total: colTotal === null ? null : key(colTotal, c) });
  // The grand total: the sum of the column totals, and of the row totals.
  if (rowTotal !== null && colTotal !== null) {
    lines.push({ cells: cols.map((c) => key(colTotal, c)), total: key(colTotal, rowTotal) });
    lines.push({ cells: rows.map((r) => key(r, rowTotal)), total: key(colTotal, rowTotal) });
  }
  return lines;
}

/** What an attacker can recover by differences: values fixed by a line with one unknown, iterated. */
export function recoverableByDifferences(values: ReadonlyMap<string, number>, lines: readonly SecrecyLine[], masked: ReadonlySet<string>): Set<string> {
  const known = new Set<string>([...values.keys()].filter((k) => !masked.has(k)));
  const recovered = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (line.total === null) continue;
      const all = [...line.cells, line.total];
      const unknown = all.filter((k) => !known.has(k));
      if (unknown.length === 1) {
        known.add(unknown[0]!);
        recovered.add(unknown[0]!);
        changed = true;
      }
    }
  }
  return recovered;
}

/** How a count is displayed: "< 5" (primary), "s" (secondary), or the number. */
export function maskLabel(reason: MaskReason, threshold = DEFAULT_THRESHOLD): string {
  return reason === 'primary' ? `< ${threshold}` : 's';
}
