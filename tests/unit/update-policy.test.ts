/** When the desktop checks, offers and restarts for an update (src/main/updates/policy.ts). */
import { describe, expect, it } from 'vitest';
import {
  CHECK_EVERY_MS,
  FIRST_CHECK_AFTER_MS,
  OFFER_AGAIN_AFTER_MS,
  RESTART_LABEL,
  RETRY_AFTER_ERROR_MS,
  initialUpdateState,
  offerDecision,
  offerText,
  reduceUpdate,
  restartDecision,
  shouldCheck,
  statusLine,
  type UpdateEvent,
  type UpdateState,
} from '../../src/main/updates/policy';

const T0 = Date.parse('2026-12-03T07:30:00Z');
const run = (events: UpdateEvent[], state = initialUpdateState(T0)): UpdateState => events.reduce(reduceUpdate, state);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const idleDesk = { receiving: 0 };
const busyDesk = { receiving: 1 };

describe('checking', () => {
  it('checks 30 seconds after start, then every 4 hours', () => {
    let s = initialUpdateState(T0);
    expect(shouldCheck(s, T0)).toBe(false);
    expect(shouldCheck(s, T0 + FIRST_CHECK_AFTER_MS)).toBe(true);
    s = run([{ type: 'check-started', at: T0 + FIRST_CHECK_AFTER_MS }, { type: 'update-not-available' }], s);
    expect(shouldCheck(s, T0 + FIRST_CHECK_AFTER_MS + CHECK_EVERY_MS - 1)).toBe(false);
    expect(shouldCheck(s, T0 + FIRST_CHECK_AFTER_MS + CHECK_EVERY_MS)).toBe(true);
    expect(statusLine(s, hhmm)).toBe('Application à jour (vérifié à 07:30)');
  });

  it('retries after 30 minutes when the hub could not be reached, and says so in French', () => {
    const s = run([{ type: 'check-started', at: T0 }, { type: 'error', code: 'ECONNREFUSED' }]);
    expect(s.phase).toBe('error');
    expect(shouldCheck(s, T0 + RETRY_AFTER_ERROR_MS - 1)).toBe(false);
    expect(shouldCheck(s, T0 + RETRY_AFTER_ERROR_MS)).toBe(true);
    expect(statusLine(s, hhmm)).toBe('Mise à jour impossible : le hub du site est injoignable (nouvel essai à 08:00)');
  });

  it('never checks again while downloading or once an update is ready', () => {
    const downloading = run([{ type: 'check-started', at: T0 }, { type: 'update-available', version: '0.2.0' }, { type: 'download-progress', percent: 41.6 }]);
    expect(statusLine(downloading, hhmm)).toBe('Téléchargement de la version 0.2.0 (42 %)…');
    expect(shouldCheck(downloading, T0 + 10 * CHECK_EVERY_MS)).toBe(false);
    const ready = run([{ type: 'update-downloaded', version: '0.2.0' }], downloading);
    expect(shouldCheck(ready, T0 + 10 * CHECK_EVERY_MS)).toBe(false);
    // A later failure does not lose the update that is ready.
    expect(run([{ type: 'error', code: 'ETIMEDOUT' }], ready).phase).toBe('ready');
  });
});

describe('offering the restart', () => {
  const ready = run([{ type: 'check-started', at: T0 }, { type: 'update-available', version: '0.2.0' }, { type: 'update-downloaded', version: '0.2.0' }]);

  it('offers « Redémarrer pour mettre à jour » once downloaded, when nobody is being received', () => {
    expect(offerDecision(ready, idleDesk, T0)).toEqual({ offer: true });
    expect(offerText(ready).buttons[0]).toBe(RESTART_LABEL);
    expect(offerText(ready).message).toBe('La version 0.2.0 d’Accueil ESC est prête.');
    expect(statusLine(ready, hhmm)).toBe('Version 0.2.0 prête : redémarrer pour mettre à jour');
  });

  it('waits while someone is called to or received at this desk', () => {
    expect(offerDecision(ready, busyDesk, T0)).toEqual({ offer: false, reason: 'receiving' });
  });

  it('after « Plus tard », offers again two hours later', () => {
    const later = run([{ type: 'dismissed', at: T0 }], ready);
    expect(offerDecision(later, idleDesk, T0 + OFFER_AGAIN_AFTER_MS - 1)).toEqual({ offer: false, reason: 'dismissed_recently' });
    expect(offerDecision(later, idleDesk, T0 + OFFER_AGAIN_AFTER_MS)).toEqual({ offer: true });
  });

  it('offers nothing before an update is downloaded', () => {
    expect(offerDecision(initialUpdateState(T0), idleDesk, T0)).toEqual({ offer: false, reason: 'nothing_ready' });
  });
});

describe('restarting', () => {
  const ready = run([{ type: 'update-downloaded', version: '0.2.0' }]);

  it('restarts when asked and nobody is being received', () => {
    expect(restartDecision(ready, idleDesk)).toEqual({ allowed: true });
  });

  it('refuses while someone is being received at this desk, saying what to do', () => {
    const refused = restartDecision(ready, { receiving: 2 });
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.message).toMatch(/^2 personnes sont en cours d’accueil à ce poste .*Terminez d’abord/);
  });

  it('refuses when nothing is ready', () => {
    expect(restartDecision(initialUpdateState(T0), idleDesk).allowed).toBe(false);
  });
});
