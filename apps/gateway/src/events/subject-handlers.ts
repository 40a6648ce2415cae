import type { StreamEvent } from './event-source.js';

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
  // Most subjects (one per user) have a single handler: it is stored alone, a Set only from the
  // second one, which saves a Set per open stream.
  const handlers = new Map<string, Handler | Set<Handler>>();
  const remove = (subject: string, handler: Handler): void => {
    const current = handlers.get(subject);
    if (current === handler) {
      handlers.delete(subject);
    } else if (current instanceof Set) {
      current.delete(handler);
      if (current.size === 0) handlers.delete(subject);
    }
  };
  return {
    subscribe(subject, handler) {
      const current = handlers.get(subject);
      if (current === undefined) handlers.set(subject, handler);
      else if (current instanceof Set) current.add(handler);
      else if (current !== handler) handlers.set(subject, new Set([current, handler]));
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
