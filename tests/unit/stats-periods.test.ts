/**
 * What a period is compared with (shared/stats/periods.ts) and the merged histogram that gives a
 * long period's medians: the two things a five-year report now reads from rollups only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram, percentile, toHistogram } from '../../src/main/core/stats/aggregate';
import { comparisonPeriods, periodContaining, wholeMonths } from '../../src/shared/stats/periods';
import { arrivalBars } from '../../src/shared/stats/charts';

describe('comparison periods', () => {
  it('compares whole calendar months with the same number of whole months just before', () => {
    expect(comparisonPeriods('2026-10-01', '2026-10-31')).toEqual({
      previous: { from: '2026-09-01', to: '2026-09-30' },
      lastYear: { from: '2025-10-01', to: '2025-10-31' },
    });
    // A quarter, a calendar year, a July–June year, five years.
    expect(comparisonPeriods('2026-07-01', '2026-09-30').previous).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(comparisonPeriods('2025-01-01', '2025-12-31').previous).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(comparisonPeriods('2025-07-01', '2026-06-30').previous).toEqual({ from: '2024-07-01', to: '2025-06-30' });
    expect(comparisonPeriods('2021-01-01', '2025-12-31')).toEqual({
      previous: { from: '2016-01-01', to: '2020-12-31' },
      lastYear: { from: '2020-01-01', to: '2024-12-31' },
    });
    // March is compared with the whole of February, 29 February included.
    expect(comparisonPeriods('2024-03-01', '2024-03-31').previous).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(comparisonPeriods('2025-02-01', '2025-02-28').lastYear).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(comparisonPeriods('2026-01-01', '2026-01-31').previous).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });

  it('compares any other period with as many days just before, and the same calendar days a year earlier', () => {
    expect(comparisonPeriods('2026-11-23', '2026-11-29')).toEqual({
      previous: { from: '2026-11-16', to: '2026-11-22' },
      lastYear: { from: '2025-11-23', to: '2025-11-29' },
    });
    expect(comparisonPeriods('2026-10-02', '2026-10-31').previous).toEqual({ from: '2026-09-02', to: '2026-10-01' });
    expect(comparisonPeriods('2024-02-29', '2024-02-29').lastYear).toEqual({ from: '2023-02-28', to: '2023-02-28' });
    expect(wholeMonths('2026-10-01', '2026-10-30')).toBeNull();
    expect(wholeMonths('2026-10-01', '2026-12-31')).toBe(3);
  });

  it('gives every period the user can pick a previous period that ends the day before it starts', () => {
    for (const kind of ['week', 'month', 'quarter', 'year', 'schoolYear'] as const) {
      for (let offset = -30; offset <= 0; offset++) {
        const p = periodContaining(kind, '2026-12-03', offset);
        const { previous } = comparisonPeriods(p.from, p.to);
        expect(previous, `${kind} ${offset}`).toEqual(periodContaining(kind, '2026-12-03', offset - 1));
      }
    }
  });
});

describe('merged histogram', () => {
  it('gives the nearest-rank percentiles of every value merged, whatever their range', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: -50, max: 200_000 }), fc.constantFrom(0.5, -0.5, 86_399, 86_400));
    fc.assert(
      fc.property(fc.array(fc.array(value, { maxLength: 60 }), { maxLength: 8 }), (days) => {
        const h = new Histogram();
        for (const d of days) h.addFlat(toHistogram(d));
        const all = days.flat();
        expect(h.total).toBe(all.length);
        expect(h.percentiles([50, 90, 100])).toEqual([percentile(all, 50), percentile(all, 90), percentile(all, 100)]);
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});

describe('the arrivals chart of a report', () => {
  const days = (from: string, n: number) => {
    const out: { day: string; open: boolean; arrivals: number }[] = [];
    for (let i = 0, t = Date.parse(`${from}T00:00:00Z`); i < n; i++, t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      const weekday = new Date(t).getUTCDay();
      out.push({ day, open: weekday !== 0 && weekday !== 6, arrivals: weekday === 0 || weekday === 6 ? 0 : 100 + i });
    }
    return out;
  };

  it('shows every open day of a month, labelled with its date', () => {
    const chart = arrivalBars(days('2026-10-01', 31));
    expect(chart.title).toBe('Arrivées par jour');
    expect(chart.bars).toHaveLength(22);
    expect(chart.bars[0]).toEqual({ label: '01', value: 100 });
    expect(chart.alt).toContain('22 jours');
  });

  it('shows a year month by month, whole (not its last weeks), and five years with each January’s year', () => {
    const year = days('2025-01-01', 365);
    const chart = arrivalBars(year);
    expect(chart.title).toBe('Arrivées par mois');
    expect(chart.bars.map((b) => b.label)).toEqual(['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.']);
    expect(chart.bars.reduce((n, b) => n + b.value, 0)).toBe(year.reduce((n, d) => n + d.arrivals, 0));
    expect(chart.alt).toContain('janvier 2025');
    const five = arrivalBars(days('2021-01-01', 1826));
    expect(five.bars).toHaveLength(60);
    expect(five.bars.filter((b) => b.label !== '').map((b) => b.label)).toEqual(['2021', '2022', '2023', '2024', '2025']);
  });
});
