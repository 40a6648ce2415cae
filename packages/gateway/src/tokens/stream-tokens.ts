import { createHash, randomBytes } from 'node:crypto';
import type { StreamTokenRecord, StreamTokenStore } from './stream-token-store.js';

const PREFIX = 'st_';
// 32 random bytes: 256 bits, base64url without padding is 43 characters.
const TOKEN = /^st_[A-Za-z0-9_-]{43}$/;

export interface StreamTokens {
  /** Issues an opaque token for this user; seed 003's response shape. */
  issue(identity: { userId: string; tenantId: string }): Promise<{ token: string; expiresIn: number }>;
  /** The record a token grants, or `undefined` when unknown, expired or revoked. */
  verify(token: string): Promise<StreamTokenRecord | undefined>;
  /** Revokes a token; new streams are refused at once, open ones end at the token's expiry. */
  revoke(token: string): Promise<boolean>;
}

/** The stored key of a token: its SHA-256, so a leaked store does not leak usable tokens. */
export function hashStreamToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Short-lived, single-purpose stream tokens (seed 003's `POST /events/token`), stored hashed. */
export function createStreamTokens(options: { store: StreamTokenStore; ttlSeconds?: number }): StreamTokens {
  const ttlSeconds = options.ttlSeconds ?? 300;
  return {
    async issue(identity) {
      const token = PREFIX + randomBytes(32).toString('base64url');
      await options.store.put(hashStreamToken(token), {
        userId: identity.userId,
        tenantId: identity.tenantId,
        expiresAt: Date.now() + ttlSeconds * 1000,
      });
      return { token, expiresIn: ttlSeconds };
    },
    async verify(token) {
      if (!TOKEN.test(token)) return undefined;
      return options.store.get(hashStreamToken(token));
    },
    async revoke(token) {
      if (!TOKEN.test(token)) return false;
      return options.store.delete(hashStreamToken(token));
    },
  };
}
