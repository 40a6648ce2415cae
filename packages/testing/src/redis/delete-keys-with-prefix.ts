import type { Redis } from 'ioredis';

/**
 * Deletes every key under `prefix`: the clean-up of a test file that owns a unique key prefix.
 * SCAN in pages rather than KEYS, so a large run (BullMQ leaves many keys) never blocks Redis.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
