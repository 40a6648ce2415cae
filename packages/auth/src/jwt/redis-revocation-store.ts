import type { Redis } from 'ioredis';
import { AuthError } from '../errors/auth-error.js';
import type { RevocationStore } from './revocation-store.js';

export interface RedisRevocationStoreOptions {
  redis: Redis;
  /** Key prefix; `interlink:revoked:` by default. */
  prefix?: string;
  /** How long a user cut-off is kept: the longest a token can live; 24 h + 30 s by default. */
  cutoffTtlSeconds?: number;
  /** Wait for Redis at most this long, then refuse the token; 1,000 ms by default. */
  timeoutMs?: number;
  now?: () => number;
}

// Keeps the larger of the stored and the new cut-off, atomically, and refreshes the expiry.
const RAISE_CUTOFF = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local cutoff = tonumber(ARGV[1])
if cutoff > current then current = cutoff end
redis.call('SET', KEYS[1], current, 'EX', ARGV[2])
return current`;

/**
 * A {@link RevocationStore} in Redis, shared by every replica. One `MGET` per check (jti and user
 * cut-off together). A Redis failure refuses the token (fail closed).
 */
export function createRedisRevocationStore(options: RedisRevocationStoreOptions): RevocationStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'interlink:revoked:';
  const cutoffTtl = options.cutoffTtlSeconds ?? 86_400 + 30;
  const timeoutMs = options.timeoutMs ?? 1000;
  const now = options.now ?? Date.now;

  async function call<T>(op: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        op(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('redis timeout')), timeoutMs);
        }),
      ]);
    } catch (error) {
      throw new AuthError('ERR_REVOCATION_STORE_UNAVAILABLE', 'revocation store unavailable', {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async isRevoked({ jti, userId, issuedAt }) {
      const keys = [
        jti === undefined ? `${prefix}jti:` : `${prefix}jti:${jti}`,
        userId === undefined ? `${prefix}user:` : `${prefix}user:${userId}`,
      ];
      const [deny, cutoff] = await call(() => redis.mget(keys));
      if (jti !== undefined && deny !== null && deny !== undefined) return true;
      return userId !== undefined && cutoff !== null && cutoff !== undefined && issuedAt < Number(cutoff);
    },
    async revokeToken(jti, expiresAt) {
      const ttl = Math.max(1, Math.ceil(expiresAt - now() / 1000) + 30);
      await call(() => redis.set(`${prefix}jti:${jti}`, '1', 'EX', ttl));
    },
    async revokeTokensIssuedBefore(userId, cutoff) {
      await call(() => redis.eval(RAISE_CUTOFF, 1, `${prefix}user:${userId}`, cutoff, cutoffTtl));
    },
  };
}
