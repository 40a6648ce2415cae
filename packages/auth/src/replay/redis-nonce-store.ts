import type { Redis } from 'ioredis';
import { AuthError } from '../errors/auth-error.js';
import type { NonceStore } from './nonce-store.js';

export interface RedisNonceStoreOptions {
  /** A connected ioredis client (the caller owns and closes it). */
  redis: Redis;
  /** Prefix of every key, e.g. `interlink:nonce:`; isolates deployments and tests. */
  prefix?: string;
  /** How long to wait for Redis before refusing the request; 1,000 ms by default. */
  timeoutMs?: number;
}

/**
 * A {@link NonceStore} shared by every replica: `SET key 1 PX ttl NX` is atomic in Redis, so a
 * nonce is accepted once cluster-wide. A Redis failure refuses the request (fail closed).
 */
export function createRedisNonceStore(options: RedisNonceStoreOptions): NonceStore {
  const prefix = options.prefix ?? 'interlink:nonce:';
  const { redis } = options;
  const timeoutMs = options.timeoutMs ?? 1000;
  const unavailable = (cause: unknown) =>
    new AuthError('ERR_NONCE_STORE_UNAVAILABLE', 'nonce store unavailable', { cause });
  return {
    claim(key, ttlMs) {
      // ioredis queues commands while reconnecting; a bounded wait keeps a Redis outage from
      // turning into hung requests. One promise and one timer per claim (no Promise.race).
      return new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(() => reject(unavailable(new Error('redis timeout'))), timeoutMs);
        let reply: Promise<string | null>;
        try {
          reply = redis.set(`${prefix}${key}`, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
        } catch (error) {
          clearTimeout(timer);
          reject(unavailable(error));
          return;
        }
        reply.then(
          (value) => {
            clearTimeout(timer);
            resolve(value === 'OK');
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(unavailable(error));
          },
        );
      });
    },
  };
}
