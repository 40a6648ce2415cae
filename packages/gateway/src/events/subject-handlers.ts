import type { StreamEvent } from './event-source.js';
import { type LoneOrSet, withAdded, withRemoved } from './lone-or-set.js';

type Handler = (event: StreamEvent) => void;

/** The live handlers of an event source, by subject: what every source's `subscribe` needs. */
export interface SubjectHandlers {
  /** Adds a handler; the returned function removes it (and the subject once it has none). */
  subscribe(subject: string, handler: Handler): () => void;
  /** Calls every handler of the event's subject. */
  dispatch(event: StreamEvent): void;
  clear(): void;
}

export function createSubjectHandlers(): SubjectHandlers {
  const handlers = new Map<string, LoneOrSet<Handler>>();
  const remove = (subject: string, handler: Handler): void => {
    const left = withRemoved(handlers.get(subject), handler);
    if (left === undefined) handlers.delete(subject);
    else handlers.set(subject, left);
  };
  return {
    subscribe(subject, handler) {
      handlers.set(subject, withAdded(handlers.get(subject), handler));
      let subscribed = true;
      // Removes once: a second call must not remove the same handler subscribed again since.
      return () => {
        if (subscribed) remove(subject, handler);
        subscribed = false;
      };
    },
    dispatch(event) {
      const current = handlers.get(event.subject);
      if (typeof current === 'function') current(event);
      else if (current) for (const handler of current) handler(event);
    },
    clear() {
      handlers.clear();
    },
  };
}
