import type { Redis } from 'ioredis';
import { DEFAULT_INBOX_TTL_MS, type Inbox } from './inbox.js';

export interface RedisInboxOptions {
  redis: Redis;
  /** Key prefix; default `interlink:inbox:`. */
  prefix?: string;
  ttlMs?: number;
}

/**
 * The fast-path inbox (seed 002's Redis idempotency, 24 h): one `SET NX PX` per event and group.
 * Not atomic with the handler's own writes; use the PostgreSQL inbox for exactly-once effects.
 */
export function createRedisInbox(options: RedisInboxOptions): Inbox {
  const prefix = options.prefix ?? 'interlink:inbox:';
  const ttl = options.ttlMs ?? DEFAULT_INBOX_TTL_MS;
  const key = (group: string, eventId: string) => `${prefix}${group}:${eventId}`;
  return {
    async claim(group, eventId) {
      return (await options.redis.set(key(group, eventId), '1', 'PX', ttl, 'NX')) === 'OK';
    },
    async release(group, eventId) {
      await options.redis.del(key(group, eventId));
    },
  };
}
