/** A bounded LRU of verified tokens that never returns an entry past its expiry. */
export interface VerifiedTokenCache<T> {
  get(token: string, now: number): T | undefined;
  set(token: string, value: T, expiresAt: number): void;
  readonly size: number;
}

/**
 * Creates the cache: a repeated token then costs a hash look-up instead of a signature check.
 * `expiresAt` (epoch ms) is the token's `exp` (or its max-age limit, if sooner): a cached token is
 * never served a millisecond later.
 */
export function createVerifiedTokenCache<T>(maxEntries = 10_000): VerifiedTokenCache<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  return {
    get size() {
      return entries.size;
    },
    get(token, now) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      entries.delete(token);
      if (entry.expiresAt <= now) return undefined;
      entries.set(token, entry); // most recently used goes last
      return entry.value;
    },
    set(token, value, expiresAt) {
      if (maxEntries <= 0) return;
      entries.delete(token);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(token, { value, expiresAt });
    },
  };
}
