/**
 * What every use case receives: the store, the site it belongs to, a clock (injected so tests
 * can move time) and a sink for events, emitted only after the transaction has committed.
 */
import type { Store } from '../store/open';
import type { Site } from '../../shared/reference/sites';
import type { EventName, EventPayload } from '../../shared/api/contract';
import type { Principal } from '../../shared/permissions';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface EventSink {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

export interface CoreContext {
  store: Store;
  site: Site;
  clock: Clock;
  events: EventSink;
}

/** The signed-in person on whose behalf a use case runs. */
export interface Actor extends Principal {
  accountId: string;
  login: string;
  displayName: string;
}

export function nowIso(ctx: CoreContext): string {
  return ctx.clock.now().toISOString();
}
