/**
 * Shortcuts match the physical key (issue 12): on a French AZERTY keyboard the digit row types
 * `&é"'(-è_ç` without Shift, so matching characters made `Alt+1…9` and the phone picker's digits
 * dead keys. Every printed letter shortcut sits on a key that is the same on AZERTY and QWERTY.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digitOf, matches, parseKeys, printKeys, type KeyPress } from '../../src/renderer/src/keys';

const AZERTY_ROW = ['&', 'é', '"', "'", '(', '-', 'è', '_', 'ç'];
const press = (p: Partial<KeyPress>): KeyPress => ({ code: '', key: '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, target: null, ...p });
const input = { tagName: 'INPUT' };

describe('digits', () => {
  it('Alt+1…9 match the digit row on AZERTY (no Shift) and QWERTY, and the keypad, with focus in a field', () => {
    const tabs = parseKeys('Alt+1-9');
    AZERTY_ROW.forEach((key, i) => expect(matches(tabs, press({ code: `Digit${i + 1}`, key, altKey: true, target: input }))).toBe(i + 1));
    for (let d = 1; d <= 9; d++) {
      expect(matches(tabs, press({ code: `Digit${d}`, key: String(d), altKey: true }))).toBe(d);
      expect(matches(tabs, press({ code: `Numpad${d}`, key: String(d), altKey: true }))).toBe(d);
    }
    // Alt+0 and Alt+digit with Shift are not the printed shortcut.
    expect(matches(tabs, press({ code: 'Digit0', key: 'à', altKey: true }))).toBe(false);
    expect(matches(tabs, press({ code: 'Digit4', key: '4', altKey: true, shiftKey: true }))).toBe(false);
  });

  it('AltGr (Ctrl+Alt on Windows) typing « # » or « { » never switches tab', () => {
    expect(matches(parseKeys('Alt+1-9'), press({ code: 'Digit3', key: '#', altKey: true, ctrlKey: true, target: input }))).toBe(false);
    expect(matches(parseKeys('Alt+1-9'), press({ code: 'Digit4', key: '{', altKey: true, ctrlKey: true, target: input }))).toBe(false);
  });

  it('the phone picker’s bare digits: the key under « \' » is 4 on AZERTY', () => {
    expect(digitOf({ code: 'Digit4' })).toBe(4);
    expect(matches(parseKeys('1-9'), press({ code: 'Digit4', key: "'" }))).toBe(4);
    expect(matches(parseKeys('1-9'), press({ code: 'Numpad7', key: '7' }))).toBe(7);
    expect(matches(parseKeys('1-9'), press({ code: 'Enter', key: 'Enter' }))).toBe(false);
  });
});

describe('letters, Enter and ?', () => {
  it('Alt+S, Alt+Entrée and Ctrl+Entrée match with focus in a field, and only with their modifiers', () => {
    expect(matches(parseKeys('Alt+S'), press({ code: 'KeyS', key: 's', altKey: true, target: input }))).toBe(true);
    expect(matches(parseKeys('Alt+S'), press({ code: 'KeyS', key: 's', target: input }))).toBe(false);
    expect(matches(parseKeys('Alt+Enter'), press({ code: 'NumpadEnter', key: 'Enter', altKey: true }))).toBe(true);
    expect(matches(parseKeys('Ctrl+Enter'), press({ code: 'Enter', key: 'Enter', ctrlKey: true, target: { tagName: 'TEXTAREA' } }))).toBe(true);
    expect(matches(parseKeys('Ctrl+Enter'), press({ code: 'Enter', key: 'Enter', metaKey: true }))).toBe(true);
    expect(matches(parseKeys('Ctrl+Enter'), press({ code: 'Enter', key: 'Enter' }))).toBe(false);
  });

  it('? opens the list only when not typing (AZERTY: Shift+Comma), F1 always', () => {
    const help = parseKeys('?');
    expect(matches(help, press({ code: 'Comma', key: '?', shiftKey: true, target: { tagName: 'BODY' } }))).toBe(true);
    expect(matches(help, press({ code: 'Comma', key: '?', shiftKey: true, target: input }))).toBe(false);
    expect(matches(help, press({ code: 'Minus', key: '?', shiftKey: true, target: { tagName: 'DIV', isContentEditable: true } }))).toBe(false);
    expect(matches(parseKeys('F1'), press({ code: 'F1', key: 'F1', target: input }))).toBe(true);
  });

  it('prints keys for a French reader', () => {
    expect(printKeys('Ctrl+Enter')).toEqual(['Ctrl', 'Entrée']);
    expect(printKeys('Alt+1-9')).toEqual(['Alt', '1…9']);
    expect(printKeys('Escape')).toEqual(['Échap']);
  });
});

it('every letter shortcut declared in the renderer avoids A, Q, Z, W and M (they move between AZERTY and QWERTY)', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name)) files.push(path);
    }
  };
  walk('src/renderer/src');
  const declared = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/keys: '((?:Alt|Ctrl|Shift)\+)+([A-Z])'/g)].map((m) => m[2]!));
  expect(declared.length).toBeGreaterThanOrEqual(6); // N, S, F, T, E, L at least
  for (const letter of declared) expect('AQZWM').not.toContain(letter);
});
