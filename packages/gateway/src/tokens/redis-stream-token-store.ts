import type { Redis } from 'ioredis';
import type { StreamTokenRecord, StreamTokenStore } from './stream-token-store.js';

/** Stream tokens in Redis, so any gateway instance accepts a token another one issued. */
export function createRedisStreamTokenStore(options: { redis: Redis; prefix?: string }): StreamTokenStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'interlink:gateway:';
  const key = (hash: string) => `${prefix}st:${hash}`;
  return {
    async put(hash, record) {
      const ttl = Math.max(1, record.expiresAt - Date.now());
      await redis.set(key(hash), JSON.stringify(record), 'PX', ttl);
    },
    async get(hash) {
      const value = await redis.get(key(hash));
      if (!value) return undefined;
      const record = JSON.parse(value) as StreamTokenRecord;
      return record.expiresAt > Date.now() ? record : undefined;
    },
    async delete(hash) {
      return (await redis.del(key(hash))) > 0;
    },
    async close() {},
  };
}
