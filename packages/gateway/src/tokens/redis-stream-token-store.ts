import type { Redis } from 'ioredis';
import type { StreamTokenRecord, StreamTokenStore } from './stream-token-store.js';

// Swaps the token's stream for the new one only while the token exists, and gives the claim the
// token's own remaining lifetime, so a revoked or expired token can never be claimed.
const CLAIM = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return false end
local previous = redis.call('GET', KEYS[2])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
return previous or ''`;

/** Stream tokens in Redis, so any gateway instance accepts a token another one issued. */
export function createRedisStreamTokenStore(options: { redis: Redis; prefix?: string }): StreamTokenStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'interlink:gateway:';
  const key = (hash: string) => `${prefix}st:${hash}`;
  // The one stream holding a token; beside the record so the record's format is unchanged.
  const streamKey = (hash: string) => `${prefix}st:${hash}:stream`;
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
      return (await redis.del(key(hash), streamKey(hash))) > 0;
    },
    async claim(hash, streamId) {
      const previous = (await redis.eval(CLAIM, 2, key(hash), streamKey(hash), streamId)) as string | null;
      if (previous === null) return { claimed: false };
      return previous === '' || previous === streamId
        ? { claimed: true }
        : { claimed: true, replaced: previous };
    },
    async superseded(claims) {
      if (claims.length === 0) return [];
      const holders = await redis.mget(claims.map((claim) => streamKey(claim.hash)));
      return claims.filter((claim, i) => holders[i] !== claim.streamId).map((claim) => claim.streamId);
    },
    async close() {},
  };
}
