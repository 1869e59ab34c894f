/**
 * One way of writing numbers, times, durations and institution names for French readers
 * (src/shared/format/fr.ts, src/shared/reference/institutions.ts), as screens and exports use it.
 */
import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatCount,
  formatDateTime,
  formatDecimal,
  formatDelay,
  formatDuration,
  formatHourSlot,
  formatMinutesFigure,
  formatPercent,
  formatTime,
  formatWhen,
  plural,
} from '../../src/shared/format/fr';
import { institutionIn } from '../../src/shared/reference/institutions';
import { fieldMaxLength } from '../../src/shared/api/limits';
import { contactsMethods } from '../../src/shared/api/methods/contacts';
import { queueMethods } from '../../src/shared/api/methods/queue';
import { handoffsMethods } from '../../src/shared/api/methods/handoffs';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('numbers', () => {
  it('group thousands with a narrow no-break space and use a decimal comma', () => {
    expect(formatCount(4528)).toBe(`4${NNBSP}528`);
    expect(formatCount(1234567)).toBe(`1${NNBSP}234${NNBSP}567`);
    expect(formatCount(999)).toBe('999');
    expect(formatDecimal(12.5)).toBe('12,5');
    expect(formatPercent(12.5)).toBe(`12,5${NBSP}%`);
    expect(formatPercent(40)).toBe(`40${NBSP}%`);
    expect(plural(1, 'contact', 'contacts')).toBe(`1${NBSP}contact`);
    expect(plural(0, 'contact', 'contacts')).toBe(`0${NBSP}contact`);
    expect(plural(4528, 'contact', 'contacts')).toBe(`4${NNBSP}528${NBSP}contacts`);
  });
});

describe('times and durations', () => {
  it('write one clock format (Paris, 24 h) and durations as 45 min or 1 h 05', () => {
    expect(formatTime('2026-11-23T14:07:00Z')).toBe('15:07');
    expect(formatTime('2026-07-01T14:07:00Z')).toBe('16:07');
    expect(formatDateTime('2026-11-23T22:30:00Z')).toBe('23/11/2026 23:30');
    expect(formatDuration(45)).toBe(`45${NBSP}min`);
    expect(formatDuration(65)).toBe(`1${NBSP}h${NBSP}05`);
    expect(formatDuration(120)).toBe(`2${NBSP}h${NBSP}00`);
    expect(formatMinutesFigure(12.5)).toBe(`12,5${NBSP}min`);
    expect(formatMinutesFigure(65)).toBe(`1${NBSP}h${NBSP}05`);
    expect(formatHourSlot(8)).toBe(`8${NBSP}h`);
    expect(formatAge(3 * 24 * 60 + 10)).toBe(`3${NBSP}jours`);
    expect(formatAge(90)).toBe(`1${NBSP}h${NBSP}30`);
  });

  it('show the date only for what is not from today', () => {
    expect(formatWhen('2026-11-23T09:15:00Z', '2026-11-23')).toBe('10:15');
    expect(formatWhen('2026-11-20T09:15:00Z', '2026-11-23')).toBe('20/11/2026 10:15');
  });

  it('write hand-over delays in the largest whole unit', () => {
    expect(formatDelay(2880)).toBe(`2${NBSP}jours`);
    expect(formatDelay(240)).toBe(`4${NBSP}heures`);
    expect(formatDelay(60)).toBe(`1${NBSP}heure`);
    expect(formatDelay(30)).toBe(`30${NBSP}min`);
    expect(formatDelay(90)).toBe(`1${NBSP}h${NBSP}30`);
  });
});

describe('institutions in a sentence', () => {
  it('take their article and its contraction', () => {
    expect(institutionIn('CDAS', 'to')).toBe('au CDAS');
    expect(institutionIn('CAF', 'to')).toBe('à la CAF');
    expect(institutionIn('CCAS', 'of')).toBe('du CCAS');
    expect(institutionIn('CAF', 'of')).toBe('de la CAF');
    expect(institutionIn('ARCS', 'to')).toBe('au centre social');
    expect(institutionIn('WEKER', 'to')).toBe('à We Ker');
    expect(institutionIn('CDAS', 'The')).toBe('Le CDAS');
    expect(institutionIn('CAF', 'The')).toBe('La CAF');
    expect(institutionIn('WEKER', 'The')).toBe('We Ker');
  });
});

describe('limits of the contract', () => {
  it('are read from the zod schemas, so forms count against what the API enforces', () => {
    expect(fieldMaxLength(contactsMethods['contacts.log'].params, 'note')).toBe(500);
    expect(fieldMaxLength(queueMethods['queue.add'].params, 'firstName')).toBe(40);
    expect(fieldMaxLength(handoffsMethods['handoffs.create'].params, 'summary')).toBe(600);
    expect(() => fieldMaxLength(contactsMethods['contacts.log'].params, 'domains')).toThrow(/No maximum length/);
  });
});
