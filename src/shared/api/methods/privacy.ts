/** privacy.*: retention settings and the right of access / erasure for a named person. */
import { z } from 'zod';
import { defineMethod, zEmpty, zId, zIsoInstant } from '../define';
import { zText } from '../text';

export const zRetention = z.strictObject({
  /** Days free-text notes are kept: contacts' follow-up notes, queue reasons, day-closing remarks and reopening reasons. */
  contactNotesDays: z.int().min(1).max(3650),
  /** Days a contact keeps its pseudonymous person key (distinct-person counts older than that are frozen in closed days). */
  personKeysDays: z.int().min(30).max(3650),
});
export type Retention = z.infer<typeof zRetention>;

export const FINDING_KINDS = ['queue_first_name', 'queue_reason', 'contact_note', 'contact_person_key', 'handoff_details', 'day_remark'] as const;

/**
 * Why personal data is erased: a closed list, because the reason is written into the append-only
 * journal and a typed reason could name the very person whose data is erased (decision 012).
 */
export const ERASE_REASONS = ['demande_personne', 'saisie_sans_accord', 'donnee_inutile'] as const;
export type EraseReason = (typeof ERASE_REASONS)[number];
export const ERASE_REASON_LABELS_FR: Record<EraseReason, string> = {
  demande_personne: 'Demande de la personne (droit d’accès, d’effacement ou d’opposition)',
  saisie_sans_accord: 'Donnée saisie par erreur ou sans l’accord de la personne',
  donnee_inutile: 'Donnée devenue inutile avant la fin de sa durée de conservation',
};

export const zFinding = z.strictObject({
  kind: z.enum(FINDING_KINDS),
  id: z.string(),
  at: zIsoInstant,
  label: z.string(),
  /** The personal data found, shown to the coordinator answering the request. */
  value: z.string(),
});
export type Finding = z.infer<typeof zFinding>;

export const privacyMethods = {
  'privacy.getRetention': defineMethod({
    summary: 'Durées de conservation des données personnelles du site.',
    permission: 'privacy.manage',
    params: zEmpty,
    result: z.strictObject({ retention: zRetention, fixed: z.array(z.strictObject({ kind: z.string(), rule: z.string() })) }),
  }),
  'privacy.updateRetention': defineMethod({
    summary: 'Modifie les durées de conservation.',
    permission: 'privacy.manage',
    params: z.strictObject({ retention: zRetention }),
    result: zRetention,
  }),
  'privacy.search': defineMethod({
    summary: 'Droit d’accès : ce que le site détient sur une personne nommée, dans la durée de conservation (recherche tracée).',
    permission: 'privacy.manage',
    params: z
      .strictObject({
        lastName: zText().max(80).optional(),
        firstName: zText().max(80).optional(),
        birthDate: z.iso.date().optional(),
      })
      .refine((p) => (p.lastName?.length ?? 0) >= 2 || (p.firstName?.length ?? 0) >= 2, { message: 'Saisissez au moins un nom ou un prénom (2 caractères).', path: ['lastName'] }),
    result: z.strictObject({ findings: z.array(zFinding) }),
  }),
  'privacy.erase': defineMethod({
    summary: 'Efface les données personnelles retrouvées (les lignes comptées restent pour les statistiques).',
    permission: 'privacy.manage',
    params: z.strictObject({
      items: z.array(z.strictObject({ kind: zFinding.shape.kind, id: zId })).min(1).max(500),
      reason: z.enum(ERASE_REASONS, { message: 'Choisissez le motif de l’effacement.' }),
    }),
    result: z.strictObject({ erased: z.int() }),
  }),
};
