/**
 * The site's event bus: use cases emit after commit, every connected client whose session may
 * see the event receives it as a JSON-RPC notification: it holds the event's permission and, for
 * events about one object, passes the event's object scope (the same object rules as the methods).
 */
import { EVENTS, type EventName, type EventPayload } from '../../shared/api/contract';
import type { EventDef } from '../../shared/api/define';
import { can, type Person } from '../../shared/permissions';
import type { EventSink } from '../core/context';

export interface Subscriber {
  /** Who is listening, or null for a connection that has not signed in (or whose desk is locked). */
  principal(): Person | null;
  deliver(name: EventName, payload: unknown): void;
}

/** Whether this viewer may receive this event: its permission, then its object scope. */
export function mayReceive<E extends EventName>(viewer: Person | null, name: E, payload: EventPayload<E>): boolean {
  const def = EVENTS[name] as EventDef;
  if (!can(viewer, def.permission)) return false;
  return !def.scope || (viewer !== null && def.scope(viewer, payload));
}

export class EventBus implements EventSink {
  private readonly subscribers = new Set<Subscriber>();

  subscribe(sub: Subscriber): () => void {
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const sub of this.subscribers) {
      if (!mayReceive(sub.principal(), name, payload)) continue;
      try {
        sub.deliver(name, payload);
      } catch {
        // A broken connection must not stop delivery to the others; its transport cleans it up.
      }
    }
  }
}
