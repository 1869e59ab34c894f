/**
 * Per-site queue configuration: services (tabs, ticket prefixes), desks and offices people are
 * called to, colour thresholds, the no-show rule and the ordering policy. Stored as one
 * site setting, edited by coordinators and administrators.
 */
import { z } from 'zod';
import { INSTITUTION_CODES } from '../reference/institutions';
import { zText } from '../api/text';

export const zServiceCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,19}$/, {
  message: 'Code de service : 2 à 20 caractères, majuscules, chiffres ou _.',
});

export const zQueueService = z.strictObject({
  code: zServiceCode,
  label: zText().min(2).max(40),
  /** One letter printed before the ticket number (C-014). */
  prefix: z.string().regex(/^[A-Z]$/, { message: 'Le préfixe de ticket est une lettre majuscule.' }),
  /** The institution whose professionals serve this queue (null: shared reception, permanences). */
  institution: z.enum(INSTITUTION_CODES).nullable(),
  active: z.boolean(),
});
export type QueueService = z.infer<typeof zQueueService>;

export const zQueueConfig = z
  .strictObject({
    services: z.array(zQueueService).min(1).max(20),
    /** Desks and offices a person can be called to ("Guichet 1", "Bureau 3"). */
    destinations: z.array(zText().min(1).max(30)).min(1).max(40),
    thresholds: z.strictObject({
      /** Waited minutes from which the entry shows amber, then red. */
      warnMinutes: z.int().min(1).max(600),
      alertMinutes: z.int().min(1).max(600),
    }),
    /** Calls without answer after which "absent" becomes possible. */
    noShowAfterCalls: z.int().min(1).max(10),
    policy: z.strictObject({
      /** A priority arrival counts as having waited this many minutes more (0: plain arrival order). */
      priorityBonusMinutes: z.int().min(0).max(120),
      /** An appointment becomes due this many minutes before its time. */
      appointmentGraceMinutes: z.int().min(0).max(60),
    }),
  })
  .refine((c) => c.thresholds.warnMinutes < c.thresholds.alertMinutes, {
    message: 'Le seuil orange doit être inférieur au seuil rouge.',
    path: ['thresholds', 'alertMinutes'],
  })
  .superRefine((c, ctx) => {
    // Each ticket letter and each service code belongs to one service: the error names both
    // services and sits on the field of the second one (the one just added or changed).
    c.services.forEach((s, i) => {
      const first = c.services.findIndex((o) => o.prefix === s.prefix);
      if (first < i) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'prefix'],
          message: `La lettre ${s.prefix} est déjà celle du service « ${c.services[first]!.label} » : choisissez une autre lettre pour « ${s.label} ».`,
        });
      }
      const sameCode = c.services.findIndex((o) => o.code === s.code);
      if (sameCode < i) {
        ctx.addIssue({ code: 'custom', path: ['services', i, 'label'], message: `Deux services portent le même nom (« ${s.label} ») : donnez-leur des noms différents.` });
      }
    });
  })
  .refine((c) => c.services.some((s) => s.active), { message: 'Au moins un service doit être actif.', path: ['services'] });
export type QueueConfig = z.infer<typeof zQueueConfig>;

export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  services: [
    { code: 'ACCUEIL', label: 'Accueil commun', prefix: 'A', institution: null, active: true },
    { code: 'CCAS', label: 'CCAS', prefix: 'C', institution: 'CCAS', active: true },
    { code: 'CDAS', label: 'CDAS', prefix: 'D', institution: 'CDAS', active: true },
    { code: 'CAF', label: 'CAF', prefix: 'F', institution: 'CAF', active: true },
    { code: 'ARCS', label: 'Centre social', prefix: 'S', institution: 'ARCS', active: true },
    { code: 'WEKER', label: 'We Ker', prefix: 'W', institution: 'WEKER', active: true },
  ],
  destinations: ['Guichet 1', 'Guichet 2', 'Bureau 1', 'Bureau 2', 'Bureau 3', 'Bureau 4', 'Bureau 5'],
  thresholds: { warnMinutes: 15, alertMinutes: 30 },
  noShowAfterCalls: 2,
  policy: { priorityBonusMinutes: 20, appointmentGraceMinutes: 10 },
};

/** The ordering rule in words, shown next to the board. */
export function orderingRuleFr(config: QueueConfig): string {
  const { priorityBonusMinutes: bonus, appointmentGraceMinutes: grace } = config.policy;
  const priority =
    bonus > 0
      ? `Une priorité (mobilité réduite, jeune enfant, détresse, grossesse) compte comme ${bonus} minutes d’attente en plus : ` +
        'elle avance la personne sans jamais faire attendre indéfiniment celles arrivées avant elle.'
      : 'Les priorités sont signalées mais ne changent pas l’ordre.';
  return (
    `Les rendez-vous passent en premier à leur heure (à partir de ${grace} minutes avant). ` +
    `Les autres personnes passent dans l’ordre d’arrivée. ${priority} ` +
    'Un changement d’ordre manuel est possible, avec un motif enregistré.'
  );
}
