/**
 * A warm hand-over (passage de relais) as an explicit state machine (DORA's orientation model):
 * proposed → accepted ("pris en charge") → completed; or declined (with a reason) / expired /
 * cancelled / person left. "Seen" marks a proposed hand-over as read without answering it.
 */
export const HANDOFF_STATES = ['proposed', 'accepted', 'completed', 'declined', 'expired', 'cancelled', 'person_left'] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

export const HANDOFF_ACTIONS = ['seen', 'accept', 'decline', 'complete', 'cancel', 'personLeft', 'expire'] as const;
export type HandoffAction = (typeof HANDOFF_ACTIONS)[number];

export const HANDOFF_TRANSITIONS: Record<HandoffAction, { from: readonly HandoffState[]; to: HandoffState | 'same' }> = {
  seen: { from: ['proposed'], to: 'same' },
  accept: { from: ['proposed'], to: 'accepted' },
  decline: { from: ['proposed'], to: 'declined' },
  complete: { from: ['accepted'], to: 'completed' },
  cancel: { from: ['proposed', 'accepted'], to: 'cancelled' },
  personLeft: { from: ['proposed', 'accepted'], to: 'person_left' },
  expire: { from: ['proposed'], to: 'expired' },
};

export function canHandoffTransition(action: HandoffAction, from: HandoffState): boolean {
  return HANDOFF_TRANSITIONS[action].from.includes(from);
}

export function handoffNextState(action: HandoffAction, from: HandoffState): HandoffState {
  const to = HANDOFF_TRANSITIONS[action].to;
  return to === 'same' ? from : to;
}

export const OPEN_HANDOFF_STATES: readonly HandoffState[] = ['proposed', 'accepted'];

export const HANDOFF_STATE_LABELS_FR: Record<HandoffState, string> = {
  proposed: 'En attente de réponse',
  accepted: 'Pris en charge',
  completed: 'Terminé',
  declined: 'Décliné',
  expired: 'Expiré sans réponse',
  cancelled: 'Annulé',
  person_left: 'Personne partie',
};

export const HANDOFF_MODES = ['accompagne', 'appel_commun', 'rdv', 'rappel'] as const;
export type HandoffMode = (typeof HANDOFF_MODES)[number];

export const HANDOFF_MODE_LABELS_FR: Record<HandoffMode, string> = {
  accompagne: 'Accompagnée au bureau maintenant',
  appel_commun: 'Appel ensemble maintenant',
  rdv: 'Rendez-vous pris maintenant',
  rappel: 'Rappel par le service',
};

export const SHARED_FIELDS = ['name', 'phone', 'summary', 'documents'] as const;
export type SharedField = (typeof SHARED_FIELDS)[number];

export const SHARED_FIELD_LABELS_FR: Record<SharedField, string> = {
  name: 'Nom',
  phone: 'Téléphone',
  summary: 'Résumé de la demande',
  documents: 'Documents déjà remis',
};

export const DECLINE_REASONS = ['hors_competence', 'deja_suivi', 'indisponible', 'autre_structure', 'autre'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const DECLINE_REASON_LABELS_FR: Record<DeclineReason, string> = {
  hors_competence: 'Hors de nos compétences',
  deja_suivi: 'Personne déjà suivie ailleurs',
  indisponible: 'Personne n’est disponible pour la recevoir',
  autre_structure: 'Relève d’une autre structure',
  autre: 'Autre motif',
};

export const URGENCIES = ['normale', 'urgente'] as const;
export type Urgency = (typeof URGENCIES)[number];
