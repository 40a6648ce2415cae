import { AuthError } from '../errors/auth-error.js';
import type { RevocationStore } from './revocation-store.js';

export interface MemoryRevocationStoreOptions {
  /** Most entries (token ids plus user cut-offs); 100,000 by default. */
  maxEntries?: number;
  /** How long a user cut-off is kept: the longest a token can live; 24 h + 30 s by default. */
  cutoffTtlSeconds?: number;
  now?: () => number;
}

/**
 * A {@link RevocationStore} in this process's memory, for the embedded default. Bounded; when full
 * of live entries it refuses a new revocation (an error the caller sees) rather than forget an old
 * one, which would silently re-enable a revoked token.
 */
export function createMemoryRevocationStore(options: MemoryRevocationStoreOptions = {}): RevocationStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const cutoffTtl = (options.cutoffTtlSeconds ?? 86_400 + 30) * 1000;
  const now = options.now ?? Date.now;
  const denied = new Map<string, number>(); // jti -> expires (ms)
  const cutoffs = new Map<string, { cutoff: number; expiresAt: number }>();

  const makeRoom = () => {
    if (denied.size + cutoffs.size < maxEntries) return;
    const at = now();
    for (const [k, exp] of denied) if (exp <= at) denied.delete(k);
    for (const [k, c] of cutoffs) if (c.expiresAt <= at) cutoffs.delete(k);
    if (denied.size + cutoffs.size >= maxEntries) {
      throw new AuthError('ERR_REVOCATION_STORE_UNAVAILABLE', 'in-memory revocation store is full');
    }
  };

  return {
    async isRevoked({ jti, userId, issuedAt }) {
      const at = now();
      if (jti !== undefined) {
        const exp = denied.get(jti);
        if (exp !== undefined && exp > at) return true;
      }
      if (userId !== undefined) {
        const c = cutoffs.get(userId);
        if (c && c.expiresAt > at && issuedAt < c.cutoff) return true;
      }
      return false;
    },
    async revokeToken(jti, expiresAt) {
      makeRoom();
      denied.set(jti, expiresAt * 1000);
    },
    async revokeTokensIssuedBefore(userId, cutoff) {
      makeRoom();
      const previous = cutoffs.get(userId)?.cutoff ?? 0;
      cutoffs.set(userId, { cutoff: Math.max(previous, cutoff), expiresAt: now() + cutoffTtl });
    },
  };
}
