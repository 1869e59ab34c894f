/** Calendar days in Europe/Paris, including the 23-hour and 25-hour days. */
import { describe, expect, it } from 'vitest';
import { addDays, dayBounds, formatDateTimeFr, isoWeekday, localDay, parisInstant } from '../../src/shared/time/paris';

describe('Paris calendar', () => {
  it('places an instant on its Paris day, not its UTC day', () => {
    expect(localDay(new Date('2026-11-22T23:30:00Z'))).toBe('2026-11-23');
    expect(localDay(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(localDay(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });

  it('knows the spring-forward day lasts 23 hours and the fall-back day 25', () => {
    const spring = dayBounds('2026-03-29');
    const autumn = dayBounds('2026-10-25');
    const normal = dayBounds('2026-11-22');
    expect((spring.end.getTime() - spring.start.getTime()) / 3600_000).toBe(23);
    expect((autumn.end.getTime() - autumn.start.getTime()) / 3600_000).toBe(25);
    expect((normal.end.getTime() - normal.start.getTime()) / 3600_000).toBe(24);
  });

  it('maps wall-clock times to instants on both sides of a change', () => {
    expect(parisInstant('2026-10-25', '08:30').toISOString()).toBe('2026-10-25T07:30:00.000Z');
    expect(parisInstant('2026-10-24', '08:30').toISOString()).toBe('2026-10-24T06:30:00.000Z');
    expect(parisInstant('2026-03-29', '08:30').toISOString()).toBe('2026-03-29T06:30:00.000Z');
  });

  it('puts the late hours of a 25-hour day on that day', () => {
    const late = new Date('2026-10-25T22:30:00Z'); // 23:30 in Paris (UTC+1)
    expect(localDay(late)).toBe('2026-10-25');
    expect(formatDateTimeFr(late)).toBe('25/10/2026 23:30');
  });

  it('counts weekdays and days across months', () => {
    expect(isoWeekday('2026-11-22')).toBe(7);
    expect(isoWeekday('2026-11-24')).toBe(2);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});
