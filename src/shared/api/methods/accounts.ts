/** Accounts of the site: agents, professionals, coordinators, administrators. */
import { z } from 'zod';
import { defineMethod, zId, zIsoInstant, zOk, zVersion } from '../define';
import { ROLES } from '../../permissions';
import { INSTITUTION_CODES } from '../../reference/institutions';
import { zPassword } from './session';
import { zText } from '../text';

export const zLogin = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, {
    message: 'Identifiant : 3 à 40 caractères, lettres minuscules, chiffres, point, tiret ou souligné.',
  });

const zDisplayName = zText()
  .min(2, { message: 'Le nom affiché doit contenir au moins 2 caractères.' })
  .max(80, { message: 'Le nom affiché est trop long (80 caractères au plus).' });

export const zAccount = z.strictObject({
  id: z.string(),
  login: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  institution: z.enum(INSTITUTION_CODES).nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: zIsoInstant,
  updatedAt: zIsoInstant,
  lastLoginAt: zIsoInstant.nullable(),
  version: z.int(),
});
export type Account = z.infer<typeof zAccount>;

export const accountsMethods = {
  'accounts.list': defineMethod({
    summary: 'Liste les comptes du site.',
    permission: 'accounts.manage',
    params: z.strictObject({ includeDisabled: z.boolean().optional() }),
    result: z.strictObject({ accounts: z.array(zAccount) }),
  }),
  'accounts.create': defineMethod({
    summary: 'Crée un compte ; le mot de passe initial devra être changé à la première connexion.',
    permission: 'accounts.manage',
    params: z.strictObject({
      login: zLogin,
      displayName: zDisplayName,
      role: z.enum(ROLES),
      institution: z.enum(INSTITUTION_CODES).nullable().optional(),
      password: zPassword,
    }),
    result: zAccount,
  }),
  'accounts.update': defineMethod({
    summary: 'Modifie le nom, le rôle, l’institution d’un compte, ou le désactive.',
    permission: 'accounts.manage',
    params: z.strictObject({
      id: zId,
      version: zVersion,
      displayName: zDisplayName.optional(),
      role: z.enum(ROLES).optional(),
      institution: z.enum(INSTITUTION_CODES).nullable().optional(),
      disabled: z.boolean().optional(),
    }),
    result: zAccount,
  }),
  'accounts.resetPassword': defineMethod({
    summary: 'Donne un mot de passe provisoire à un compte, à changer à la prochaine connexion.',
    permission: 'accounts.manage',
    params: z.strictObject({ id: zId, password: zPassword }),
    result: zOk,
  }),
};
