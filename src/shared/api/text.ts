/**
 * The one rule for text typed by people (issue 13 item 17, decision 012): normalised to NFC and
 * trimmed, and refused when it holds characters that make displayed text lie about itself: bidi
 * controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), zero-width and invisible
 * format characters (U+200B–U+200D, U+2060–U+2064, U+FEFF, U+00AD, U+180E), line or paragraph
 * separators and C0/C1 control characters (multi-line fields keep line feeds and tabs). Every free
 * text field of the contract uses `zText` (secrets use `zSecret`); the security suite checks that
 * every string field of every method refuses a bidi override.
 */
import { z } from 'zod';

const INVISIBLE = '\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u2028\\u2029\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF';
const CONTROLS = '\\u0000-\\u001F\\u007F-\\u009F';
const CONTROLS_BUT_LINES = '\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F';

/** Single-line text: no control character at all. */
export const SAFE_LINE = new RegExp(`^[^${CONTROLS}${INVISIBLE}]*$`);
/** Multi-line text: line feeds and tabs allowed (carriage returns are turned into line feeds first). */
export const SAFE_MULTILINE = new RegExp(`^[^${CONTROLS_BUT_LINES}${INVISIBLE}]*$`);

export const TEXT_REFUSED_FR =
  'Ce texte contient des caractères invisibles ou de contrôle (inversion du sens d’écriture, espace sans largeur…) : retapez-le sans copier-coller.';

/**
 * A free text field: NFC, trimmed, without deceptive characters. Chain `.min()`, `.max()` and
 * transforms on it as on any zod string.
 */
export function zText(options: { multiline?: boolean } = {}) {
  const base = z.string().normalize('NFC').trim();
  return options.multiline
    ? base.overwrite((s) => s.replace(/\r\n?/g, '\n')).regex(SAFE_MULTILINE, { message: TEXT_REFUSED_FR })
    : base.regex(SAFE_LINE, { message: TEXT_REFUSED_FR });
}

/** A secret (password, key, token): kept exactly as typed, but never with control or invisible characters. */
export function zSecret() {
  return z.string().regex(SAFE_LINE, { message: 'Ce secret contient des caractères invisibles ou de contrôle : retapez-le.' });
}
