/** A bounded cache of verified tokens that never returns an entry past its expiry. */
export interface VerifiedTokenCache<T> {
  get(token: string, now: number): T | undefined;
  set(token: string, value: T, expiresAt: number): void;
  /**
   * Drops every entry whose value matches (a key was withdrawn). Rare, so it rebuilds both maps
   * rather than deleting one by one, which would slow every later hit (see below).
   */
  deleteWhere(matches: (value: T) => boolean): void;
  /** Entries held, duplicates across the two generations included; never more than the bound. */
  readonly size: number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * Creates the cache: a repeated token then costs a hash look-up instead of a signature check.
 * Keys are whole tokens. `expiresAt` (epoch ms) is the token's `exp` (or its max-age limit, if
 * sooner): a cached token is never served a millisecond later.
 *
 * Two generations instead of a strict LRU: V8 keeps a deleted Map entry until the table rehashes,
 * and an LRU that refreshes by delete + set and evicts by delete made every hit on a full
 * 10,000-entry cache cost about 20 us (a fresh ES256 check is 70). Here nothing is ever deleted:
 * new and reused tokens go into the young map; when it holds half the bound it becomes the old
 * one and the previous old one is dropped whole. A token used within the last half-bound
 * insertions survives; at most `maxEntries` entries are held.
 */
export function createVerifiedTokenCache<T>(maxEntries = 10_000): VerifiedTokenCache<T> {
  const half = Math.max(1, Math.floor(maxEntries / 2));
  // With a bound of 1 there is room for one generation only.
  const keepOld = half * 2 <= maxEntries;
  let young = new Map<string, Entry<T>>();
  let old = new Map<string, Entry<T>>();

  const add = (token: string, entry: Entry<T>) => {
    if (young.size >= half) {
      old = keepOld ? young : new Map();
      young = new Map();
    }
    young.set(token, entry);
  };

  return {
    get size() {
      return young.size + old.size;
    },
    get(token, now) {
      let entry = young.get(token);
      if (entry === undefined) {
        entry = old.get(token);
        if (entry === undefined || entry.expiresAt <= now) return undefined;
        add(token, entry); // used again: keep it past the old generation's drop
        return entry.value;
      }
      return entry.expiresAt <= now ? undefined : entry.value;
    },
    deleteWhere(matches) {
      const keep = (map: Map<string, Entry<T>>) =>
        new Map([...map].filter(([, entry]) => !matches(entry.value)));
      young = keep(young);
      old = keep(old);
    },
    set(token, value, expiresAt) {
      if (maxEntries <= 0) return;
      add(token, { value, expiresAt });
    },
  };
}
