/** handoffs.*: warm hand-overs between the institutions of the site and partners. */
import { z } from 'zod';
import { defineMethod, zEmpty, zId, zIsoInstant, zLocalDay, zVersion } from '../define';
import { INSTITUTION_CODES } from '../../reference/institutions';
import { DECLINE_REASONS, HANDOFF_MODES, HANDOFF_STATES, SHARED_FIELDS, URGENCIES } from '../../handoffs/states';
import { zHandoffConfig } from '../../handoffs/config';
import { zText } from '../text';
import { QUEUE_STATES } from '../../queue/states';

const zDomainCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'Code de domaine invalide.' });
const zTarget = { id: zId, version: zVersion };

export const zHandoff = z.strictObject({
  id: z.string(),
  day: zLocalDay,
  createdAt: zIsoInstant,
  fromAccountId: z.string(),
  fromName: z.string(),
  fromInstitution: z.enum(INSTITUTION_CODES).nullable(),
  toInstitution: z.enum(INSTITUTION_CODES),
  toEntryId: z.string().nullable(),
  toEntryName: z.string().nullable(),
  toAccountId: z.string().nullable(),
  domains: z.array(z.string()),
  urgency: z.enum(URGENCIES),
  mode: z.enum(HANDOFF_MODES),
  appointmentAt: zIsoInstant.nullable(),
  appointmentPlace: z.string().nullable(),
  consent: z.boolean(),
  consentRecordedByName: z.string().nullable(),
  sharedFields: z.array(z.enum(SHARED_FIELDS)),
  /** True when personal details exist; they are read with handoffs.details (audited). */
  hasDetails: z.boolean(),
  ticket: z.string().nullable(),
  /** The state of the ticket it was made from: `handed_over`, or `waiting` in the receiving queue (decision 018). */
  ticketState: z.enum(QUEUE_STATES).nullable(),
  queueEntryId: z.string().nullable(),
  state: z.enum(HANDOFF_STATES),
  seenAt: zIsoInstant.nullable(),
  acceptedAt: zIsoInstant.nullable(),
  takenByName: z.string().nullable(),
  declinedAt: zIsoInstant.nullable(),
  declineReason: z.enum(DECLINE_REASONS).nullable(),
  declineText: z.string().nullable(),
  closedAt: zIsoInstant.nullable(),
  lateAt: zIsoInstant,
  expiresAt: zIsoInstant,
  reorientedFromId: z.string().nullable(),
  reorientedToId: z.string().nullable(),
  anonymised: z.boolean(),
  version: z.int(),
});
export type Handoff = z.infer<typeof zHandoff>;

export const zHandoffDetails = z.strictObject({
  name: z.string().nullable(),
  phone: z.string().nullable(),
  summary: z.string().nullable(),
  documents: z.string().nullable(),
});

/** Optional free text (an empty field is stored as null); summaries, documents and precisions may hold line breaks. */
const zOptText = (max: number, message: string, multiline = false) =>
  zText({ multiline })
    .max(max, { message })
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();

export const handoffsMethods = {
  'handoffs.getConfig': defineMethod({
    summary: 'Délais de réponse par mode et durée de conservation des informations personnelles.',
    permission: 'authenticated',
    params: zEmpty,
    result: zHandoffConfig,
  }),
  'handoffs.updateConfig': defineMethod({
    summary: 'Modifie les délais de réponse et la conservation.',
    permission: 'queue.configure',
    params: z.strictObject({ config: zHandoffConfig }),
    result: zHandoffConfig,
  }),
  'handoffs.create': defineMethod({
    summary: 'Crée un passage de relais, avec le mode choisi par la personne et ce qu’elle accepte de transmettre.',
    permission: 'handoffs.create',
    params: z.strictObject({
      toInstitution: z.enum(INSTITUTION_CODES),
      toEntryId: zId.nullable().optional(),
      domains: z.array(zDomainCode).min(1, { message: 'Choisissez au moins un domaine.' }).max(8),
      urgency: z.enum(URGENCIES).optional(),
      mode: z.enum(HANDOFF_MODES),
      appointmentAt: zIsoInstant.nullable().optional(),
      appointmentPlace: zOptText(120, 'Lieu : 120 caractères au plus.'),
      consent: z.boolean(),
      sharedFields: z.array(z.enum(SHARED_FIELDS)).max(4).optional(),
      personName: zOptText(80, 'Nom : 80 caractères au plus.'),
      personPhone: zText()
        .regex(/^[0-9 +().-]{0,25}$/, { message: 'Téléphone : chiffres, espaces, +, points ou tirets.' })
        .transform((s) => (s === '' ? null : s))
        .nullable()
        .optional(),
      summary: zOptText(600, 'Résumé : 600 caractères au plus.', true),
      documents: zOptText(300, 'Documents : 300 caractères au plus.', true),
      queueEntryId: zId.optional(),
      contactId: zId.optional(),
      reorientFromId: zId.optional(),
    }),
    result: zHandoff,
  }),
  'handoffs.inbox': defineMethod({
    summary: 'Passages de relais adressés à mon institution (ou à moi), ouverts et récents.',
    permission: 'handoffs.receive',
    params: z.strictObject({ scope: z.enum(['institution', 'mine']).optional() }),
    result: z.strictObject({ now: zIsoInstant, handoffs: z.array(zHandoff) }),
  }),
  'handoffs.sent': defineMethod({
    summary: 'Passages de relais que j’ai faits (le jour choisi), avec leur statut.',
    permission: 'handoffs.create',
    params: z.strictObject({ day: zLocalDay.optional(), all: z.boolean().optional() }),
    result: z.strictObject({ now: zIsoInstant, handoffs: z.array(zHandoff) }),
  }),
  'handoffs.details': defineMethod({
    summary: 'Informations personnelles transmises (chaque lecture est tracée).',
    permission: 'handoffs.create',
    params: z.strictObject({ id: zId }),
    result: zHandoffDetails,
  }),
  'handoffs.seen': defineMethod({
    summary: 'Marque un passage de relais comme vu.',
    permission: 'handoffs.receive',
    params: z.strictObject(zTarget),
    result: zHandoff,
  }),
  'handoffs.accept': defineMethod({
    summary: 'Prend en charge un passage de relais (éventuellement par un·e professionnel·le nommé·e).',
    permission: 'handoffs.receive',
    params: z.strictObject({ ...zTarget, takenByAccountId: zId.nullable().optional() }),
    result: zHandoff,
  }),
  'handoffs.decline': defineMethod({
    summary: 'Décline un passage de relais avec un motif ; l’émetteur est prévenu.',
    permission: 'handoffs.receive',
    params: z.strictObject({ ...zTarget, reason: z.enum(DECLINE_REASONS), text: zOptText(300, 'Précision : 300 caractères au plus.', true) }),
    result: zHandoff,
  }),
  'handoffs.complete': defineMethod({
    summary: 'Termine un passage de relais pris en charge.',
    permission: 'handoffs.receive',
    params: z.strictObject(zTarget),
    result: zHandoff,
  }),
  'handoffs.cancel': defineMethod({
    summary: 'Annule un passage de relais (émetteur).',
    permission: 'handoffs.create',
    params: z.strictObject(zTarget),
    result: zHandoff,
  }),
  'handoffs.personLeft': defineMethod({
    summary: 'La personne est partie avant d’être prise en charge.',
    permission: 'handoffs.create',
    params: z.strictObject(zTarget),
    result: zHandoff,
  }),
};
