/**
 * The site's event bus: use cases emit after commit, every connected client whose session may
 * see the event receives it as a JSON-RPC notification.
 */
import { EVENTS, type EventName, type EventPayload } from '../../shared/api/contract';
import { can, type Principal } from '../../shared/permissions';
import type { EventSink } from '../core/context';

export interface Subscriber {
  /** Who is listening, or null for a connection that has not signed in. */
  principal(): Principal | null;
  deliver(name: EventName, payload: unknown): void;
}

export class EventBus implements EventSink {
  private readonly subscribers = new Set<Subscriber>();

  subscribe(sub: Subscriber): () => void {
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const permission = EVENTS[name].permission;
    for (const sub of this.subscribers) {
      if (!can(sub.principal(), permission)) continue;
      try {
        sub.deliver(name, payload);
      } catch {
        // A broken connection must not stop delivery to the others; its transport cleans it up.
      }
    }
  }
}
