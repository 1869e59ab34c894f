/** The hand-over state machine, every (action, state) pair against an independently written table. */
import { describe, expect, it } from 'vitest';
import { canHandoffTransition, handoffNextState, HANDOFF_ACTIONS, HANDOFF_STATES, type HandoffAction, type HandoffState } from '../../src/shared/handoffs/states';

const EXPECTED: Record<HandoffAction, Partial<Record<HandoffState, HandoffState>>> = {
  seen: { proposed: 'proposed' },
  accept: { proposed: 'accepted' },
  decline: { proposed: 'declined' },
  complete: { accepted: 'completed' },
  cancel: { proposed: 'cancelled', accepted: 'cancelled' },
  personLeft: { proposed: 'person_left', accepted: 'person_left' },
  expire: { proposed: 'expired' },
};

describe('hand-over state table', () => {
  for (const action of HANDOFF_ACTIONS) {
    for (const state of HANDOFF_STATES) {
      const target = EXPECTED[action][state];
      it(`${action} from ${state} ${target ? `→ ${target}` : 'is refused'}`, () => {
        expect(canHandoffTransition(action, state)).toBe(target !== undefined);
        if (target) expect(handoffNextState(action, state)).toBe(target);
      });
    }
  }
});
