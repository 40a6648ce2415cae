import { DEFAULT_INBOX_TTL_MS, type Inbox } from './inbox.js';

export interface MemoryInboxOptions {
  ttlMs?: number;
  now?: () => number;
}

/** A one-process inbox for the embedded default and tests. */
export function createMemoryInbox(options: MemoryInboxOptions = {}): Inbox {
  const ttl = options.ttlMs ?? DEFAULT_INBOX_TTL_MS;
  const now = options.now ?? Date.now;
  const claims = new Map<string, number>();
  return {
    async claim(group, eventId) {
      const t = now();
      // Insertion order is expiry order (fixed TTL), so expired claims are at the front.
      for (const [key, expires] of claims) {
        if (expires > t) break;
        claims.delete(key);
      }
      const key = `${group}\u0000${eventId}`;
      if (claims.has(key)) return false;
      claims.set(key, t + ttl);
      return true;
    },
    async release(group, eventId) {
      claims.delete(`${group}\u0000${eventId}`);
    },
  };
}
