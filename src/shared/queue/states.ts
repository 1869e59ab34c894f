/**
 * The life of a queue entry, as one explicit table (Novo SGA's model): every action names the
 * states it may start from and the state it leads to; each step has its own timestamp, from
 * which waiting time (first call − arrival) and service time (finish − start) are derived.
 * "Move" keeps the person's passage: the entry goes back to waiting in another service.
 * "Finish" straight from "called" implies "start" at the call (docs/decisions/019). "Hand over"
 * is not a desk button: creating a hand-over from an open ticket applies it in the same
 * transaction, and the ticket then follows the hand-over's outcome (docs/decisions/018).
 */
export const QUEUE_STATES = ['waiting', 'called', 'in_progress', 'done', 'handed_over', 'no_show', 'left', 'cancelled', 'closed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export const QUEUE_ACTIONS = ['call', 'recall', 'start', 'finish', 'noShow', 'left', 'cancel', 'move', 'reorder', 'handOver', 'close'] as const;
export type QueueAction = (typeof QUEUE_ACTIONS)[number];

export const TRANSITIONS: Record<QueueAction, { from: readonly QueueState[]; to: QueueState | 'same' }> = {
  call: { from: ['waiting'], to: 'called' },
  recall: { from: ['called'], to: 'called' },
  start: { from: ['waiting', 'called'], to: 'in_progress' },
  finish: { from: ['called', 'in_progress'], to: 'done' },
  noShow: { from: ['called'], to: 'no_show' },
  left: { from: ['waiting', 'called'], to: 'left' },
  cancel: { from: ['waiting', 'called'], to: 'cancelled' },
  move: { from: ['waiting', 'called', 'in_progress'], to: 'waiting' },
  reorder: { from: ['waiting'], to: 'same' },
  handOver: { from: ['waiting', 'called', 'in_progress'], to: 'handed_over' },
  close: { from: ['waiting', 'called'], to: 'closed' },
};

export function canTransition(action: QueueAction, from: QueueState): boolean {
  return TRANSITIONS[action].from.includes(from);
}

export function nextState(action: QueueAction, from: QueueState): QueueState {
  const to = TRANSITIONS[action].to;
  return to === 'same' ? from : to;
}

export const OPEN_STATES: readonly QueueState[] = ['waiting', 'called', 'in_progress'];
export const FINAL_STATES: readonly QueueState[] = ['done', 'handed_over', 'no_show', 'left', 'cancelled', 'closed'];
/** Passages counted as received: served at the desk, or handed over to another institution. */
export const RECEIVED_STATES: readonly QueueState[] = ['done', 'handed_over'];
/** States in which a person occupies the desk or office they were called to. */
export const AT_DESK_STATES: readonly QueueState[] = ['called', 'in_progress'];

export const STATE_LABELS_FR: Record<QueueState, string> = {
  waiting: 'En attente',
  called: 'Appelé·e',
  in_progress: 'En cours',
  done: 'Reçu·e',
  handed_over: 'Relayé·e',
  no_show: 'Absent·e à l’appel',
  left: 'Parti·e sans être reçu·e',
  cancelled: 'Annulé',
  closed: 'Non reçu·e – fermeture',
};

export const ACTION_LABELS_FR: Record<QueueAction, string> = {
  call: 'Appeler',
  recall: 'Rappeler',
  start: 'Commencer',
  finish: 'Terminer',
  noShow: 'Absent·e',
  left: 'Parti·e',
  cancel: 'Annuler',
  move: 'Orienter vers un autre service',
  reorder: 'Changer l’ordre',
  handOver: 'Passage de relais',
  close: 'Clore (fermeture)',
};

export const PRIORITY_REASONS = ['mobilite_reduite', 'enfant', 'detresse', 'grossesse'] as const;
export type PriorityReason = (typeof PRIORITY_REASONS)[number];

export const PRIORITY_LABELS_FR: Record<PriorityReason, string> = {
  mobilite_reduite: 'Mobilité réduite',
  enfant: 'Jeune enfant',
  detresse: 'Détresse / urgence',
  grossesse: 'Grossesse',
};

export const NEEDS = ['interprete', 'accessibilite'] as const;
export type Need = (typeof NEEDS)[number];

export const NEED_LABELS_FR: Record<Need, string> = {
  interprete: 'Interprète',
  accessibilite: 'Accessibilité',
};
