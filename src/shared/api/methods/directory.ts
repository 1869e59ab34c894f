/** directory.*: the site directory (teams and professionals on site) and external partners. */
import { z } from 'zod';
import { defineMethod, zId, zVersion } from '../define';
import { INSTITUTION_CODES } from '../../reference/institutions';
import { zText } from '../text';

const zDomainCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'Code de domaine invalide.' });
/** Optional text: an empty field is stored as null. */
const zOptional = (max: number) =>
  zText()
    .max(max)
    .transform((s) => (s === '' ? null : s));

export const zDirectoryEntry = z.strictObject({
  id: z.string(),
  institution: z.enum(INSTITUTION_CODES),
  kind: z.enum(['team', 'person']),
  name: z.string(),
  role: z.string().nullable(),
  office: z.string().nullable(),
  extension: z.string().nullable(),
  mailbox: z.string().nullable(),
  presence: z.string().nullable(),
  permanences: z.string().nullable(),
  domains: z.array(z.string()),
  accountId: z.string().nullable(),
  active: z.boolean(),
  version: z.int(),
});
export type DirectoryEntry = z.infer<typeof zDirectoryEntry>;

export const zPartner = z.strictObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  domains: z.array(z.string()),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  accessConditions: z.string().nullable(),
  prescriberRequired: z.boolean(),
  active: z.boolean(),
  version: z.int(),
});
export type Partner = z.infer<typeof zPartner>;

export const directoryMethods = {
  'directory.list': defineMethod({
    summary: 'Annuaire du site (équipes, professionnel·les) et partenaires extérieurs, filtrables par domaine.',
    permission: 'directory.view',
    params: z.strictObject({
      institution: z.enum(INSTITUTION_CODES).optional(),
      domain: zDomainCode.optional(),
      query: zText().max(60).optional(),
      includeInactive: z.boolean().optional(),
    }),
    result: z.strictObject({ entries: z.array(zDirectoryEntry), partners: z.array(zPartner) }),
  }),
  'directory.saveEntry': defineMethod({
    summary: 'Crée ou modifie une équipe ou un·e professionnel·le de l’annuaire du site.',
    permission: 'directory.manage',
    params: z.strictObject({
      id: zId.optional(),
      version: zVersion.optional(),
      institution: z.enum(INSTITUTION_CODES),
      kind: z.enum(['team', 'person']),
      name: zText().min(2, { message: 'Nom requis (2 caractères au moins).' }).max(80),
      role: zOptional(80).nullable().optional(),
      office: zOptional(40).nullable().optional(),
      extension: zOptional(20).nullable().optional(),
      mailbox: z.email({ message: 'Adresse de messagerie invalide.' }).max(120).nullable().optional(),
      presence: zOptional(200).nullable().optional(),
      permanences: zOptional(200).nullable().optional(),
      domains: z.array(zDomainCode).max(16).optional(),
      accountId: zId.nullable().optional(),
      active: z.boolean().optional(),
    }),
    result: zDirectoryEntry,
  }),
  'directory.savePartner': defineMethod({
    summary: 'Crée ou modifie un partenaire extérieur.',
    permission: 'directory.manage',
    params: z.strictObject({
      id: zId.optional(),
      version: zVersion.optional(),
      code: z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'Code : majuscules, chiffres ou _.' }),
      name: zText().min(2).max(120),
      domains: z.array(zDomainCode).max(16).optional(),
      address: zOptional(200).nullable().optional(),
      phone: zOptional(30).nullable().optional(),
      accessConditions: zOptional(300).nullable().optional(),
      prescriberRequired: z.boolean().optional(),
      active: z.boolean().optional(),
    }),
    result: zPartner,
  }),
};
