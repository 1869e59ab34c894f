/** contacts.* and taxonomy.* methods: the ASIP contact log. */
import { z } from 'zod';
import { defineMethod, zId, zIsoInstant, zLocalDay, zPeriod, zVersion } from '../define';
import { CHANNELS, CONTACT_ACTIONS, CONTACT_FLAGS, ORIENTATION_KINDS } from '../../contacts/vocabulary';
import { INSTITUTION_CODES } from '../../reference/institutions';

const zDomainCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'Code de domaine invalide.' });

export const zOrientation = z.strictObject({
  kind: z.enum(ORIENTATION_KINDS),
  /** Institution code (CCAS, CDAS…) or partner code (FRANCE_TRAVAIL…). */
  target: z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'Destination d’orientation invalide.' }),
});

/** Optional identification, used only to derive the pseudonymous key; never stored. */
export const zPersonIdentity = z.strictObject({
  lastName: z.string().trim().min(1, { message: 'Nom requis pour reconnaître la personne.' }).max(80),
  firstName: z.string().trim().min(1, { message: 'Prénom requis pour reconnaître la personne.' }).max(80),
  birthDate: z.iso.date({ message: 'Date de naissance au format AAAA-MM-JJ.' }),
});

const zNote = z
  .string()
  .trim()
  .max(500, { message: 'Note : 500 caractères au plus.' })
  .transform((s) => (s === '' ? null : s));

const contactFields = {
  channel: z.enum(CHANNELS),
  domains: z.array(zDomainCode).min(1, { message: 'Choisissez au moins un domaine.' }).max(8),
  actions: z.array(z.enum(CONTACT_ACTIONS)).max(5),
  orientation: zOrientation.nullable(),
  flags: z.array(z.enum(CONTACT_FLAGS)).max(4),
  durationMinutes: z.int().min(0).max(600).nullable(),
  note: zNote.nullable(),
};

export const zContact = z.strictObject({
  id: z.string(),
  day: zLocalDay,
  at: zIsoInstant,
  agentId: z.string(),
  agentName: z.string(),
  agentInstitution: z.enum(INSTITUTION_CODES).nullable(),
  channel: z.enum(CHANNELS),
  domains: z.array(z.string()),
  actions: z.array(z.enum(CONTACT_ACTIONS)),
  orientation: zOrientation.nullable(),
  flags: z.array(z.enum(CONTACT_FLAGS)),
  durationMinutes: z.int().nullable(),
  queueEntryId: z.string().nullable(),
  ticket: z.string().nullable(),
  /** The agent's follow-up note: shown to its author and to coordination only. */
  note: z.string().nullable(),
  identified: z.boolean(),
  taxonomyVersion: z.int(),
  /** Whether the signed-in person may correct this contact now. */
  editable: z.boolean(),
  version: z.int(),
});
export type Contact = z.infer<typeof zContact>;

const zCount = z.strictObject({ key: z.string(), count: z.int() });

export const zDomain = z.strictObject({
  code: z.string(),
  label: z.string(),
  parent: z.string().nullable(),
  since: z.int(),
  retiredIn: z.int().nullable(),
});

export const contactsMethods = {
  'taxonomy.list': defineMethod({
    summary: 'Domaines de demande (taxonomie versionnée), y compris retirés si demandé.',
    permission: 'authenticated',
    params: z.strictObject({ includeRetired: z.boolean().optional() }),
    result: z.strictObject({ version: z.int(), domains: z.array(zDomain) }),
  }),
  'contacts.log': defineMethod({
    summary: 'Enregistre un contact ASIP (anonyme par défaut).',
    permission: 'contacts.log',
    params: z.strictObject({
      ...contactFields,
      actions: contactFields.actions.optional(),
      orientation: contactFields.orientation.optional(),
      flags: contactFields.flags.optional(),
      durationMinutes: contactFields.durationMinutes.optional(),
      note: contactFields.note.optional(),
      channel: contactFields.channel.optional(),
      /** The finished queue entry this contact records (channel, time and duration come from it). */
      queueEntryId: zId.optional(),
      person: zPersonIdentity.optional(),
    }),
    result: zContact,
  }),
  'contacts.update': defineMethod({
    summary: 'Corrige un contact (auteur le jour même, coordination jusqu’à la clôture du jour).',
    permission: 'contacts.log',
    params: z.strictObject({
      id: zId,
      version: zVersion,
      channel: contactFields.channel.optional(),
      domains: contactFields.domains.optional(),
      actions: contactFields.actions.optional(),
      orientation: contactFields.orientation.optional(),
      flags: contactFields.flags.optional(),
      durationMinutes: contactFields.durationMinutes.optional(),
      note: contactFields.note.optional(),
    }),
    result: zContact,
  }),
  'contacts.get': defineMethod({
    summary: 'Un contact et l’historique de ses corrections.',
    permission: 'contacts.view',
    params: z.strictObject({ id: zId }),
    result: z.strictObject({
      contact: zContact,
      history: z.array(
        z.strictObject({
          at: zIsoInstant,
          actorLogin: z.string().nullable(),
          action: z.string(),
          changes: z.array(z.strictObject({ field: z.string(), before: z.unknown(), after: z.unknown() })),
        }),
      ),
    }),
  }),
  'contacts.list': defineMethod({
    summary: 'Les contacts d’un jour du site, filtrés, avec leurs totaux.',
    permission: 'contacts.view',
    params: z.strictObject({
      day: zLocalDay.optional(),
      agentId: zId.optional(),
      channel: z.enum(CHANNELS).optional(),
      domain: zDomainCode.optional(),
      orientation: z.string().max(40).optional(),
      ticket: z.string().trim().max(10).optional(),
    }),
    result: z.strictObject({
      day: zLocalDay,
      contacts: z.array(zContact),
      counts: z.strictObject({
        total: z.int(),
        byChannel: z.array(zCount),
        byDomain: z.array(zCount),
        byOrientation: z.array(zCount),
        byAgent: z.array(z.strictObject({ key: z.string(), label: z.string(), count: z.int() })),
      }),
    }),
  }),
  'contacts.persons': defineMethod({
    summary: 'Passages et personnes distinctes du site sur une période.',
    permission: 'contacts.view',
    params: zPeriod(),
    result: z.strictObject({ passages: z.int(), identifiedPassages: z.int(), distinctIdentified: z.int(), anonymousPassages: z.int() }),
  }),
};
