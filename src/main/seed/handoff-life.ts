/**
 * The life of one seeded hand-over, as the app would have written it: the outcome drawn from
 * `HANDOFF_OUTCOMES`, answer delays that respect the late/expiry delays of its mode, and every
 * timestamp cut at the horizon (the end of the last seeded day): what has not happened by then
 * has not happened, so a hand-over answered after the horizon is still "proposed" (only possible
 * on the last day) and one completed after it is still "accepted".
 */
import type { HandoffConfig } from '../../shared/handoffs/config';
import type { DeclineReason, HandoffMode, HandoffState } from '../../shared/handoffs/states';
import { DECLINE_REASONS_MIX, HANDOFF_OUTCOMES, LAST_DAY_PROPOSED_SHARE, type HandoffOutcome } from './model';
import { Rng, Weighted } from './prng';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface HandoffLifeInput {
  createdMs: number;
  mode: HandoffMode;
  appointmentMs: number | null;
  horizonMs: number;
  lastDay: boolean;
  receiverId: string;
  /** Another professional of the receiving institution, who may take the person in charge. */
  otherReceiverId: string;
  config: HandoffConfig;
}

export interface HandoffLife {
  state: HandoffState;
  lateMs: number;
  expiresMs: number;
  seenMs: number | null;
  acceptedMs: number | null;
  acceptedBy: string | null;
  takenBy: string | null;
  declinedMs: number | null;
  declineReason: DeclineReason | null;
  closedMs: number | null;
  /** 1 + the number of updates the app would have made (seen, answer, closing). */
  version: number;
  /** The last change (anonymisation excluded). */
  lastChangeMs: number;
}

const outcomes = new Weighted(HANDOFF_OUTCOMES);
const declineReasons = new Weighted(DECLINE_REASONS_MIX);

/** Minutes until a receiver answers, by mode: minutes for a person waiting on site, hours for an appointment or a call-back. */
function answerDelayMs(rng: Rng, mode: HandoffMode, expireMs: number): number {
  switch (mode) {
    case 'accompagne':
    case 'appel_commun':
      return Math.min(rng.range(1, 25) * MIN, expireMs - MIN);
    case 'rdv':
      return rng.chance(0.85) ? rng.range(10, 240) * MIN : rng.range(4, 16) * HOUR;
    case 'rappel':
      return rng.chance(0.7) ? rng.range(30, 240) * MIN : rng.range(4, 22) * HOUR;
  }
}

export function handoffLife(rng: Rng, input: HandoffLifeInput): HandoffLife {
  const { createdMs, mode, horizonMs } = input;
  const delay = input.config.delays[mode];
  const lateMs = createdMs + delay.lateAfterMinutes * MIN;
  const expiresMs = createdMs + delay.expireAfterMinutes * MIN;
  const expireAfter = expiresMs - createdMs;
  const remote = mode === 'rdv' || mode === 'rappel';

  let outcome: HandoffOutcome | 'proposed' = outcomes.pick(rng);
  if (input.lastDay && remote && rng.chance(LAST_DAY_PROPOSED_SHARE)) outcome = 'proposed';

  let answer = createdMs + answerDelayMs(rng, mode, expireAfter);
  // An appointment booked with the person is confirmed before it takes place.
  if (input.appointmentMs !== null && answer > input.appointmentMs - 30 * MIN) answer = createdMs + rng.range(10, 120) * MIN;
  // "Seen" a little before answering (a separate update), or at the answer itself.
  const seenEarly = rng.chance(0.4);
  const seen = seenEarly ? Math.max(createdMs + 30_000, answer - rng.range(1, 10) * MIN) : answer;
  const taker = rng.chance(0.8) ? input.receiverId : input.otherReceiverId;

  const life: HandoffLife = {
    state: 'proposed',
    lateMs,
    expiresMs,
    seenMs: null,
    acceptedMs: null,
    acceptedBy: null,
    takenBy: null,
    declinedMs: null,
    declineReason: null,
    closedMs: null,
    version: 1,
    lastChangeMs: createdMs,
  };
  const step = (ms: number): boolean => {
    if (ms > horizonMs) return false;
    life.version += 1;
    life.lastChangeMs = Math.max(life.lastChangeMs, ms);
    return true;
  };
  const markSeen = (): boolean => {
    if (seen < answer) {
      if (!step(seen)) return false;
      life.seenMs = seen;
    }
    return true;
  };
  const accept = (): boolean => {
    if (!markSeen() || !step(answer)) return false;
    life.seenMs ??= answer;
    Object.assign(life, { state: 'accepted', acceptedMs: answer, acceptedBy: input.receiverId, takenBy: taker });
    return true;
  };
  const close = (state: HandoffState, ms: number): void => {
    if (!step(ms)) return;
    life.state = state;
    life.closedMs = ms;
  };

  // An expiry that would fall after the horizon cannot have happened yet: before the last day,
  // where nothing may still wait for an answer, such a hand-over was declined instead.
  if (outcome === 'expired' && expiresMs + 5 * MIN > horizonMs) outcome = input.lastDay ? 'proposed' : 'declined';

  switch (outcome) {
    case 'proposed':
      if (seenEarly && seen <= horizonMs && rng.chance(0.5)) {
        step(seen);
        life.seenMs = seen;
      }
      break;
    case 'completed': {
      if (!accept()) break;
      let done: number;
      if (mode === 'rdv' && input.appointmentMs !== null) done = input.appointmentMs + rng.range(30, 60) * MIN;
      else if (mode === 'rappel') done = answer + rng.range(1, 48) * HOUR;
      else done = answer + rng.range(10, 45) * MIN;
      close('completed', done);
      break;
    }
    case 'accepted':
      accept();
      break;
    case 'declined':
      if (!markSeen() || !step(answer)) break;
      Object.assign(life, {
        state: 'declined',
        seenMs: life.seenMs ?? answer,
        declinedMs: answer,
        declineReason: declineReasons.pick(rng),
        closedMs: answer,
      });
      break;
    case 'expired': {
      if (rng.chance(0.3)) {
        const glance = createdMs + rng.range(0.1, 0.9) * expireAfter;
        step(glance);
        life.seenMs = glance;
      }
      // Expired by the first read or housekeeping pass after the delay.
      close('expired', expiresMs + rng.range(0, 5) * MIN);
      break;
    }
    case 'person_left': {
      if (rng.chance(0.5) && answer < expiresMs) {
        if (!accept()) break;
        close('person_left', answer + rng.range(5, 30) * MIN);
      } else {
        close('person_left', createdMs + rng.range(3, Math.min(25, expireAfter / MIN - 1)) * MIN);
      }
      break;
    }
    case 'cancelled':
      close('cancelled', createdMs + rng.range(2, Math.min(25, expireAfter / MIN - 1)) * MIN);
      break;
  }
  return life;
}
