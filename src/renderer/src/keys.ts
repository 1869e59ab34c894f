/**
 * Matching key presses to shortcuts, on the physical key (`event.code`) with exact modifiers:
 * pure functions, shared by the shortcut module (shortcuts.tsx) and its unit tests.
 */
export interface Parsed {
  alt: boolean;
  ctrl: boolean;
  shift: boolean;
  /** event.code values that match; `digits` for 1-9. */
  codes: readonly string[] | 'digits' | '?';
}

export const DIGIT_CODES = new Map<string, number>([
  ...Array.from({ length: 9 }, (_, i) => [`Digit${i + 1}`, i + 1] as [string, number]),
  ...Array.from({ length: 9 }, (_, i) => [`Numpad${i + 1}`, i + 1] as [string, number]),
]);

/** The digit 1…9 of a key press on the digit row or the keypad, whatever the layout, else null. */
export function digitOf(event: { code: string }): number | null {
  return DIGIT_CODES.get(event.code) ?? null;
}

export function parseKeys(keys: string): Parsed {
  const parts = keys.split('+');
  const key = parts.pop()!;
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  const codes: Parsed['codes'] =
    key === '1-9'
      ? 'digits'
      : key === '?'
        ? '?'
        : key === 'Enter'
          ? ['Enter', 'NumpadEnter']
          : /^[A-Z]$/.test(key)
            ? [`Key${key}`]
            : [key];
  return { alt: mods.has('alt'), ctrl: mods.has('ctrl'), shift: mods.has('shift'), codes };
}

/** How a shortcut is printed for a French reader: Ctrl+Entrée, Alt+1…9, Échap. */
export function printKeys(keys: string): string[] {
  return keys.split('+').map((k) => ({ Enter: 'Entrée', Escape: 'Échap', Ctrl: 'Ctrl', '1-9': '1…9' })[k] ?? k);
}

/** Is the key typed into a field (where `?` is a character, not a command)? */
export function isTyping(target: unknown): boolean {
  if (!target || typeof target !== 'object' || !('tagName' in target)) return false;
  const el = target as { tagName: string; isContentEditable?: boolean };
  return el.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** What a key press says (the fields of a KeyboardEvent the matching reads). */
export interface KeyPress {
  code: string;
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  target: unknown;
}

/** Does a key press match? Returns the digit for 1-9 shortcuts, true for others, false if not. */
export function matches(parsed: Parsed, event: KeyPress): number | boolean {
  if (parsed.codes === '?') {
    return event.key === '?' && !event.altKey && !event.ctrlKey && !event.metaKey && !isTyping(event.target);
  }
  // AltGr on Windows reports Ctrl+Alt: it never matches an Alt shortcut, so typing « # » or « { » is safe.
  const ctrl = event.ctrlKey || event.metaKey;
  if (event.altKey !== parsed.alt || ctrl !== parsed.ctrl || event.shiftKey !== parsed.shift) return false;
  if (parsed.codes === 'digits') return digitOf(event) ?? false;
  return parsed.codes.includes(event.code);
}

