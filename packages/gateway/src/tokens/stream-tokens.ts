import { createHash, randomBytes } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.js';
import type {
  StreamTokenClaim,
  StreamTokenClaimResult,
  StreamTokenRecord,
  StreamTokenStore,
} from './stream-token-store.js';

const PREFIX = 'st_';
// 32 random bytes: 256 bits, base64url without padding is 43 characters.
const TOKEN = /^st_[A-Za-z0-9_-]{43}$/;

export interface StreamTokens {
  /**
   * Issues an opaque token for this user; seed 003's response shape. The token never outlives the
   * credential it was issued for: its expiry is the earlier of its own lifetime and `expiresAt`.
   * @throws GatewayError `ERR_GATEWAY_UNAUTHENTICATED` when `expiresAt` has already passed
   */
  issue(identity: {
    userId: string;
    tenantId: string;
    expiresAt?: number;
  }): Promise<{ token: string; expiresIn: number }>;
  /** The record a token grants, or `undefined` when unknown, expired or revoked. */
  verify(token: string): Promise<StreamTokenRecord | undefined>;
  /** Revokes a token: new streams are refused at once, an open one ends within a heartbeat. */
  revoke(token: string): Promise<boolean>;
  /** Makes `streamId` the token's one stream (see {@link StreamTokenStore.claim}). */
  claim(token: string, streamId: string): Promise<StreamTokenClaimResult>;
  /** The streams that lost their token (see {@link StreamTokenStore.superseded}). */
  superseded(claims: readonly StreamTokenClaim[]): Promise<string[]>;
}

/** The stored key of a token: its SHA-256, so a leaked store does not leak usable tokens. */
export function hashStreamToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Short-lived, single-purpose stream tokens (seed 003's `POST /events/token`), stored hashed. */
export function createStreamTokens(options: { store: StreamTokenStore; ttlSeconds?: number }): StreamTokens {
  const ttlSeconds = options.ttlSeconds ?? 300;
  const { store } = options;
  return {
    async issue(identity) {
      const now = Date.now();
      const expiresAt = Math.min(now + ttlSeconds * 1000, identity.expiresAt ?? Number.POSITIVE_INFINITY);
      // A verifier may accept a token a little past its `exp` (clock tolerance); a stream token
      // from it would have no lifetime left, so none is issued.
      if (expiresAt <= now) {
        throw new GatewayError('ERR_GATEWAY_UNAUTHENTICATED', 'The user token has expired');
      }
      const token = PREFIX + randomBytes(32).toString('base64url');
      await store.put(hashStreamToken(token), {
        userId: identity.userId,
        tenantId: identity.tenantId,
        expiresAt,
      });
      // Whole seconds, rounded down: a client never believes the token lives longer than it does.
      return { token, expiresIn: Math.floor((expiresAt - now) / 1000) };
    },
    async verify(token) {
      if (!TOKEN.test(token)) return undefined;
      return store.get(hashStreamToken(token));
    },
    async revoke(token) {
      if (!TOKEN.test(token)) return false;
      return store.delete(hashStreamToken(token));
    },
    async claim(token, streamId) {
      if (!TOKEN.test(token)) return { claimed: false };
      return store.claim(hashStreamToken(token), streamId);
    },
    superseded(claims) {
      return store.superseded(claims);
    },
  };
}
