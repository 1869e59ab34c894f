/** queue.* and display.* methods: the shared first-reception queue of the site. */
import { z } from 'zod';
import { defineMethod, zEmpty, zId, zIsoInstant, zLocalDay, zVersion } from '../define';
import { NEEDS, PRIORITY_REASONS, QUEUE_STATES } from '../../queue/states';
import { zQueueConfig, zServiceCode } from '../../queue/config';
import { INSTITUTION_CODES } from '../../reference/institutions';
import { zText } from '../text';
import { HANDOFF_STATES } from '../../handoffs/states';

const zFirstName = zText()
  .max(40, { message: 'Prénom ou initiales : 40 caractères au plus.' })
  .transform((s) => (s === '' ? null : s));

const zDomainCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'Code de domaine invalide.' });
const zHhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Heure au format HH:mm (ex. 10:30).' });
const zDestination = zText().min(1, { message: 'Choisissez le guichet ou le bureau.' }).max(30);
const zReason = zText().min(3, { message: 'Indiquez un motif (3 caractères au moins).' }).max(200);

export const zQueueEntry = z.strictObject({
  id: z.string(),
  day: zLocalDay,
  ticket: z.string(),
  serviceCode: z.string(),
  originalServiceCode: z.string(),
  purpose: z.string().nullable(),
  firstName: z.string().nullable(),
  appointmentAt: zIsoInstant.nullable(),
  appointmentWithAccountId: z.string().nullable(),
  appointmentWithName: z.string().nullable(),
  priorityReasons: z.array(z.enum(PRIORITY_REASONS)),
  needs: z.array(z.enum(NEEDS)),
  state: z.enum(QUEUE_STATES),
  arrivedAt: zIsoInstant,
  firstCalledAt: zIsoInstant.nullable(),
  lastCalledAt: zIsoInstant.nullable(),
  callCount: z.int(),
  calledTo: z.string().nullable(),
  calledByName: z.string().nullable(),
  startedAt: zIsoInstant.nullable(),
  servedByName: z.string().nullable(),
  finishedAt: zIsoInstant.nullable(),
  endedAt: zIsoInstant.nullable(),
  outsideHours: z.boolean(),
  sortOverride: zIsoInstant.nullable(),
  /** Position among the waiting people of its service (1 = next), null when not waiting. */
  position: z.int().nullable(),
  tier: z.enum(['appointment', 'arrival', 'upcoming']).nullable(),
  /** The latest hand-over made from this ticket: its outcome follows the ticket (decision 018). */
  handoff: z.strictObject({ id: z.string(), state: z.enum(HANDOFF_STATES), toInstitution: z.enum(INSTITUTION_CODES) }).nullable(),
  version: z.int(),
});
export type QueueEntry = z.infer<typeof zQueueEntry>;

/**
 * `queue.changed`: what changed, so that desks update their board without re-reading the day
 * (docs/decisions/019). `version` is the day's queue version after the change and
 * `previousVersion` the one it follows: a desk holding `previousVersion` applies `entry`, any
 * other desk re-reads what changed since its own version with `queue.list({ since })`.
 */
export const zQueueChanged = z.strictObject({
  day: z.string(),
  action: z.string(),
  entryId: z.string().nullable(),
  previousVersion: z.int(),
  version: z.int(),
  /** The changed entry (position and tier left to the board), or null when several changed or for the configuration. */
  entry: zQueueEntry.nullable(),
  /** The entry's service and the institution serving it (before a move too): what an event filter needs. */
  serviceCode: z.string().nullable(),
  institution: z.enum(INSTITUTION_CODES).nullable(),
  previousInstitution: z.enum(INSTITUTION_CODES).nullable(),
});
export type QueueChanged = z.infer<typeof zQueueChanged>;

const zTarget = { id: zId, version: zVersion };

export const zProfessional = z.strictObject({
  id: z.string(),
  displayName: z.string(),
  institution: z.enum(INSTITUTION_CODES).nullable(),
});

export const zDisplayCall = z.strictObject({
  ticket: z.string(),
  destination: z.string(),
  serviceLabel: z.string(),
  calledAt: zIsoInstant,
});
export type DisplayCall = z.infer<typeof zDisplayCall>;

export const queueMethods = {
  'queue.getConfig': defineMethod({
    summary: 'Configuration de la file du site : services, guichets, seuils, règle d’ordre.',
    // No person in it; desks need it to work and administrators to edit it (queue.configure).
    permission: 'authenticated',
    params: zEmpty,
    result: zQueueConfig,
  }),
  'queue.updateConfig': defineMethod({
    summary: 'Modifie la configuration de la file du site.',
    permission: 'queue.configure',
    params: z.strictObject({ config: zQueueConfig }),
    result: zQueueConfig,
  }),
  'queue.professionals': defineMethod({
    summary: 'Les professionnel·les du site, pour noter un rendez-vous.',
    permission: 'queue.register',
    params: zEmpty,
    result: z.strictObject({ professionals: z.array(zProfessional) }),
  }),
  'queue.add': defineMethod({
    summary: 'Enregistre une arrivée et lui donne un ticket.',
    permission: 'queue.register',
    params: z.strictObject({
      serviceCode: zServiceCode,
      firstName: zFirstName.optional(),
      purpose: zDomainCode.nullable().optional(),
      appointmentTime: zHhmm.nullable().optional(),
      appointmentWithAccountId: zId.nullable().optional(),
      priorityReasons: z.array(z.enum(PRIORITY_REASONS)).max(4).optional(),
      needs: z.array(z.enum(NEEDS)).max(2).optional(),
    }),
    result: zQueueEntry,
  }),
  'queue.list': defineMethod({
    summary: 'Les passages du jour, dans l’ordre d’appel (ou seulement ce qui a changé depuis une version).',
    permission: 'queue.view',
    params: z.strictObject({
      day: zLocalDay.optional(),
      /** A version the desk already holds: only entries changed since are returned (`delta`). */
      since: z.int().min(0).optional(),
    }),
    result: z.strictObject({
      day: zLocalDay,
      now: zIsoInstant,
      /** The day's queue version these entries reflect. */
      version: z.int(),
      /** True when `entries` holds only what changed since `since` (else: the whole day). */
      delta: z.boolean(),
      entries: z.array(zQueueEntry),
      /** In a delta: entries changed since `since` that this session no longer sees (moved to another service). */
      removedIds: z.array(z.string()),
    }),
  }),
  'queue.call': defineMethod({
    summary: 'Appelle une personne vers un guichet ou un bureau.',
    permission: 'queue.operate',
    params: z.strictObject({ ...zTarget, destination: zDestination }),
    result: zQueueEntry,
  }),
  'queue.callNext': defineMethod({
    summary: 'Appelle la prochaine personne d’un service selon la règle d’ordre.',
    permission: 'queue.operate',
    params: z.strictObject({ serviceCode: zServiceCode, destination: zDestination }),
    result: zQueueEntry,
  }),
  'queue.recall': defineMethod({
    summary: 'Rappelle une personne déjà appelée.',
    permission: 'queue.operate',
    params: z.strictObject({ ...zTarget, destination: zDestination.optional() }),
    result: zQueueEntry,
  }),
  'queue.start': defineMethod({
    summary: 'La personne est reçue : début de l’entretien (à un poste, pour une personne reçue sans appel).',
    permission: 'queue.operate',
    params: z.strictObject({ ...zTarget, destination: zDestination.optional() }),
    result: zQueueEntry,
  }),
  'queue.finish': defineMethod({
    summary: 'Fin de l’entretien.',
    permission: 'queue.operate',
    params: z.strictObject(zTarget),
    result: zQueueEntry,
  }),
  'queue.noShow': defineMethod({
    summary: 'La personne n’a pas répondu aux appels.',
    permission: 'queue.operate',
    params: z.strictObject(zTarget),
    result: zQueueEntry,
  }),
  'queue.left': defineMethod({
    summary: 'La personne est partie sans être reçue.',
    permission: 'queue.operate',
    params: z.strictObject(zTarget),
    result: zQueueEntry,
  }),
  'queue.cancel': defineMethod({
    summary: 'Annule une arrivée enregistrée par erreur.',
    permission: 'queue.operate',
    params: z.strictObject({ ...zTarget, reason: zReason }),
    result: zQueueEntry,
  }),
  'queue.move': defineMethod({
    summary: 'Oriente la personne vers la file d’un autre service, avec un motif.',
    permission: 'queue.operate',
    params: z.strictObject({ ...zTarget, serviceCode: zServiceCode, reason: zReason }),
    result: zQueueEntry,
  }),
  'queue.reorder': defineMethod({
    summary: 'Place une personne avant une autre (ou en fin de file), avec un motif.',
    permission: 'queue.operate',
    params: z.strictObject({ ...zTarget, beforeId: zId.nullable(), reason: zReason }),
    result: zQueueEntry,
  }),
  'queue.closeDay': defineMethod({
    summary: 'Fermeture : les personnes encore en attente sont comptées « non reçues – fermeture ».',
    permission: 'queue.close',
    params: zEmpty,
    result: z.strictObject({ closed: z.int() }),
  }),
  'display.board': defineMethod({
    summary: 'Écran de salle d’attente : derniers tickets appelés et leur destination, sans nom.',
    permission: 'public',
    params: zEmpty,
    result: z.strictObject({ siteName: z.string(), calls: z.array(zDisplayCall), waiting: z.int() }),
  }),
};
