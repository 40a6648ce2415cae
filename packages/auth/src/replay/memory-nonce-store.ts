import { AuthError } from '../errors/auth-error.js';
import type { NonceStore } from './nonce-store.js';

export interface MemoryNonceStoreOptions {
  /** Most nonces kept at once; 100,000 by default. */
  maxEntries?: number;
  /** Clock, epoch ms. */
  now?: () => number;
}

/** A {@link NonceStore} in this process's memory, with its size (what it holds right now). */
export interface MemoryNonceStore extends NonceStore {
  readonly size: number;
}

/**
 * A bounded in-memory nonce store for a single process (the embedded default). When it is full of
 * unexpired nonces it refuses new claims rather than evicting one: evicting would re-open the
 * evicted nonce to replay. Only verified signatures reach `claim`, so filling it takes valid keys.
 */
export function createMemoryNonceStore(options: MemoryNonceStoreOptions = {}): MemoryNonceStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();

  // Entries are in insertion order, which is roughly expiry order (validities are short and
  // similar), so sweeping from the front finds the expired ones without a full scan. The usual
  // sweep stops at the first live entry: one look per claim when nothing has expired. An expired
  // entry held behind a longer-lived one waits for a later sweep, or for the full one when full.
  const sweep = (at: number, budget: number, stopAtLive: boolean) => {
    for (const [key, expiresAt] of expiries) {
      if (budget-- <= 0) return;
      if (expiresAt <= at) expiries.delete(key);
      else if (stopAtLive) return;
    }
  };

  return {
    get size() {
      return expiries.size;
    },
    async claim(key, ttlMs) {
      const at = now();
      const existing = expiries.get(key);
      if (existing !== undefined) {
        if (existing > at) return false;
        expiries.delete(key);
      }
      sweep(at, 8, true);
      if (expiries.size >= maxEntries) {
        sweep(at, Number.POSITIVE_INFINITY, false);
        if (expiries.size >= maxEntries) {
          throw new AuthError('ERR_NONCE_STORE_FULL', 'in-memory nonce store is full');
        }
      }
      expiries.set(key, at + Math.max(1, ttlMs));
      return true;
    },
  };
}
