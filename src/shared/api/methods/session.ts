/** Sign-in, sign-out and the signed-in account. */
import { z } from 'zod';
import { defineMethod, zEmpty, zIsoInstant, zOk } from '../define';
import { ROLES, PERMISSIONS } from '../../permissions';
import { INSTITUTION_CODES } from '../../reference/institutions';
import { SITE_CODES } from '../../reference/sites';
import { pinWeakness } from '../../accounts/secrets';
import { zSecret, zText } from '../text';

export const zPassword = zSecret()
  .min(10, { message: 'Le mot de passe doit contenir au moins 10 caractères.' })
  .max(200, { message: 'Le mot de passe est trop long (200 caractères au plus).' });

export const zPin = z.string().regex(/^\d{4,8}$/, { message: 'Le code personnel compte 4 à 8 chiffres.' });

/** A PIN being chosen: 4 to 8 digits, and not one that is tried first (shared rule, decision 011). */
export const zNewPin = zPin.refine((pin) => pinWeakness(pin) === null, { error: (issue) => pinWeakness(String(issue.input)) ?? 'Code personnel trop facile à deviner.' });

export const zMe = z.strictObject({
  accountId: z.string(),
  login: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  institution: z.enum(INSTITUTION_CODES).nullable(),
  siteCode: z.enum(SITE_CODES),
  siteName: z.string(),
  mustChangePassword: z.boolean(),
  permissions: z.array(z.enum(PERMISSIONS)),
  /** The desk is locked: nothing is shown until the PIN (or password) is given again. */
  locked: z.boolean(),
  hasPin: z.boolean(),
  /** Minutes of inactivity after which the desk locks itself. */
  lockAfterMinutes: z.int(),
});
export type Me = z.infer<typeof zMe>;

export const sessionMethods = {
  'session.login': defineMethod({
    summary: 'Ouvre une session avec un identifiant et un mot de passe.',
    permission: 'public',
    params: z.strictObject({
      login: zText().min(1, { message: 'Saisissez votre identifiant.' }).max(64),
      password: zSecret().min(1, { message: 'Saisissez votre mot de passe.' }).max(200),
    }),
    result: z.strictObject({ token: z.string(), expiresAt: zIsoInstant, me: zMe }),
  }),
  'session.pinLogin': defineMethod({
    summary: 'Changement rapide d’agent sur un poste partagé, avec le code personnel (après une connexion par mot de passe le même jour).',
    permission: 'public',
    params: z.strictObject({
      login: zText().min(1, { message: 'Saisissez votre identifiant.' }).max(64),
      pin: zPin,
    }),
    result: z.strictObject({ token: z.string(), expiresAt: zIsoInstant, me: zMe }),
  }),
  'session.lock': defineMethod({
    summary: 'Verrouille le poste : plus rien n’est affiché jusqu’au déverrouillage.',
    permission: 'authenticated',
    params: zEmpty,
    result: zOk,
  }),
  'session.unlock': defineMethod({
    summary: 'Déverrouille le poste avec le code personnel ou le mot de passe.',
    permission: 'authenticated',
    params: z
      .strictObject({ pin: zPin.optional(), password: zSecret().min(1).max(200).optional() })
      .refine((p) => (p.pin === undefined) !== (p.password === undefined), { message: 'Saisissez votre code personnel ou votre mot de passe.', path: ['pin'] }),
    result: zOk,
  }),
  'session.setPin': defineMethod({
    summary: 'Définit le code personnel (4 à 8 chiffres) du compte connecté.',
    permission: 'authenticated',
    params: z.strictObject({ currentPassword: zSecret().min(1).max(200), pin: zNewPin }),
    result: zOk,
  }),
  'session.resume': defineMethod({
    summary: 'Rattache une connexion à une session existante (premier message WebSocket).',
    permission: 'public',
    params: z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, { message: 'Jeton de session invalide.' }) }),
    result: z.strictObject({ expiresAt: zIsoInstant, me: zMe }),
  }),
  'session.logout': defineMethod({
    summary: 'Ferme la session en cours.',
    permission: 'authenticated',
    params: zEmpty,
    result: zOk,
  }),
  'session.me': defineMethod({
    summary: 'Le compte connecté, son site et ses droits.',
    permission: 'authenticated',
    params: zEmpty,
    result: zMe,
  }),
  'session.changePassword': defineMethod({
    summary: 'Change le mot de passe du compte connecté.',
    permission: 'authenticated',
    params: z.strictObject({ currentPassword: zSecret().min(1).max(200), newPassword: zPassword }),
    result: zOk,
  }),
};
