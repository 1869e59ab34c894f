/**
 * `checkedArray` (src/shared/api/define.ts): a long server-built series checked by one loop must
 * accept exactly what its documented zod schema accepts, or the router's answer check (nothing
 * undeclared leaves the hub) would be weaker for it than for every other answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zPeriodReport, zPerDay, isPerDay } from '../../src/shared/api/methods/stats';
import { contractJsonSchema } from '../../src/shared/api/contract';

const good = { day: '2026-11-23', open: true, arrivals: 12, contacts: 9, closed: false };

describe('a per-day series checked in one loop', () => {
  it('accepts and refuses exactly what the per-day zod schema does', () => {
    const anyValue = fc.oneof(
      fc.constantFrom(0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53) + 1, '12', true, false, null, undefined, '2026-11-23', '2026-1-23', '2026-11-23 ', '९९९९-११-२३'),
      fc.integer(),
      fc.string({ maxLength: 12 }),
      fc.boolean(),
    );
    const keys = fc.constantFrom('day', 'open', 'arrivals', 'contacts', 'closed', 'extra', '__proto__', 'toString');
    const mutated = fc.tuple(fc.dictionary(keys, anyValue, { maxKeys: 7 }), fc.boolean()).map(([changes, keep]) => (keep ? { ...good, ...changes } : changes));
    const item = fc.oneof(mutated, anyValue, fc.constant(good), fc.array(fc.integer(), { maxLength: 5 }));
    fc.assert(
      fc.property(item, (v) => {
        expect(isPerDay(v), JSON.stringify(v)).toBe(zPerDay.safeParse(v).success);
      }),
      { numRuns: 3000, seed: 16 },
    );
    // Objects the generator cannot write.
    for (const v of [Object.assign(Object.create(null) as object, good), Object.assign(Object.create({ inherited: 1 }) as object, good), new Map(), [good]]) {
      expect(isPerDay(v)).toBe(zPerDay.safeParse(v).success);
    }
  });

  it('refuses a report whose series holds one undeclared field or a wrong value, wherever it is', () => {
    const report = (perDay: unknown[]) => ({ ...sampleReport(), perDay });
    const days = Array.from({ length: 1826 }, () => ({ ...good }));
    expect(zPeriodReport.safeParse(report(days)).success).toBe(true);
    expect(zPeriodReport.safeParse(report([...days.slice(0, 1000), { ...good, name: 'Mme X' }, ...days.slice(1000)])).success).toBe(false);
    expect(zPeriodReport.safeParse(report([...days, { ...good, arrivals: 1.5 }])).success).toBe(false);
    expect(zPeriodReport.safeParse({ ...sampleReport(), perDay: 'non' }).success).toBe(false);
  });

  it('is documented in rpc.schema as the array of days it checks', () => {
    const perDay = (contractJsonSchema().methods['stats.period']!.result as { properties: { perDay: { type: string; items: { required: string[]; additionalProperties: boolean } } } }).properties.perDay;
    expect(perDay.type).toBe('array');
    expect(perDay.items.required).toEqual(['day', 'open', 'arrivals', 'contacts', 'closed']);
    expect(perDay.items.additionalProperties).toBe(false);
  });
});

function sampleReport(): Record<string, unknown> {
  const figures = {
    from: '2026-11-01', to: '2026-11-30', arrivals: 0, received: 0, handedOver: 0, contacts: 0, identifiedPassages: 0, distinctPersons: 0, anonymousContacts: 0,
    waitMedian: null, waitP90: null, serviceMedian: null, left: 0, noShow: 0, closedUnseen: 0, leftRate: null, outsideHours: 0, handoffs: 0,
    handoffAcceptance: null, handoffAcceptMedian: null, byService: [], byChannel: [], byDomain: [], byOrientation: [], handoffsByState: [], arrivalsByHour: [],
  };
  return { figures, previous: figures, lastYear: figures, heatmap: [], openDays: 0, closedDays: 0, daysClosedShare: null, definitions: [] };
}
