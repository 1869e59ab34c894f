/**
 * Choosing secrets: the rule for a personal PIN (4 to 8 digits; refuse the ones an onlooker or a
 * guesser tries first), shared so that the PIN dialog explains it as the user types and the API
 * applies the same rule, and the guidance shown next to password fields. Passwords are scored by
 * the server (`src/main/core/accounts/strength.ts`), whose French explanation the forms display
 * (decision 011).
 */

export const PASSWORD_GUIDANCE_FR =
  '10 caractères au moins, difficile à deviner : ni prénom, ni nom, ni mot courant seul, ni date, ni suite (1234, azerty). ' +
  'Une phrase de quelques mots inattendus est idéale.';

export const PIN_GUIDANCE_FR = '4 à 8 chiffres, sans suite (1234), ni répétition (1111, 1212), ni colonne du clavier (2580).';

/** The middle column of a phone or desk keypad, down or up. */
const KEYPAD_LINES = new Set(['2580', '0852']);

/** PINs among the most used that the rules below do not catch. */
const COMMON = new Set(['1004', '2000', '2001', '1122', '6969', '1998', '1999', '1230']);

function isSequence(pin: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < pin.length; i++) steps.add(pin.charCodeAt(i) - pin.charCodeAt(i - 1));
  return steps.size === 1 && (steps.has(1) || steps.has(-1));
}

function isRepeatedBlock(pin: string): boolean {
  for (let size = 1; size <= pin.length / 2; size++) {
    if (pin.length % size !== 0) continue;
    if (pin.slice(0, size).repeat(pin.length / size) === pin) return true;
  }
  return false;
}

/** Why a PIN is too easy to guess (French, for display), or null when it is acceptable. */
export function pinWeakness(pin: string): string | null {
  if (!/^\d{4,8}$/.test(pin)) return null;
  const why = (reason: string) => `Code personnel trop facile à deviner : ${reason}. Choisissez des chiffres sans suite ni répétition.`;
  if (/^(\d)\1+$/.test(pin)) return why('chiffres tous identiques');
  if (isSequence(pin)) return why('suite de chiffres (comme 1234 ou 9876)');
  if (isRepeatedBlock(pin)) return why('motif répété (comme 1212)');
  if (KEYPAD_LINES.has(pin)) return why('colonne du clavier (2580)');
  if (COMMON.has(pin)) return why('code parmi les plus utilisés');
  return null;
}
