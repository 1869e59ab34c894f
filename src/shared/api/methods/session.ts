/** Sign-in, sign-out and the signed-in account. */
import { z } from 'zod';
import { defineMethod, zEmpty, zIsoInstant, zOk } from '../define';
import { ROLES, PERMISSIONS } from '../../permissions';
import { INSTITUTION_CODES } from '../../reference/institutions';
import { SITE_CODES } from '../../reference/sites';

export const zPassword = z
  .string()
  .min(10, { message: 'Le mot de passe doit contenir au moins 10 caractères.' })
  .max(200, { message: 'Le mot de passe est trop long (200 caractères au plus).' });

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
});
export type Me = z.infer<typeof zMe>;

export const sessionMethods = {
  'session.login': defineMethod({
    summary: 'Ouvre une session avec un identifiant et un mot de passe.',
    permission: 'public',
    params: z.strictObject({
      login: z.string().trim().min(1, { message: 'Saisissez votre identifiant.' }).max(64),
      password: z.string().min(1, { message: 'Saisissez votre mot de passe.' }).max(200),
    }),
    result: z.strictObject({ token: z.string(), expiresAt: zIsoInstant, me: zMe }),
  }),
  'session.resume': defineMethod({
    summary: 'Rattache une connexion à une session existante (premier message WebSocket).',
    permission: 'public',
    params: z.strictObject({ token: z.string().min(1).max(200) }),
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
    params: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: zPassword }),
    result: zOk,
  }),
};
