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
  const handlers = new Map<string, Set<Handler>>();
  return {
    subscribe(subject, handler) {
      let set = handlers.get(subject);
      if (!set) {
        set = new Set();
        handlers.set(subject, set);
      }
      set.add(handler);
      return () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(subject) === set) handlers.delete(subject);
      };
    },
    dispatch(event) {
      const set = handlers.get(event.subject);
      if (set) for (const handler of set) handler(event);
    },
    clear() {
      handlers.clear();
    },
  };
}
