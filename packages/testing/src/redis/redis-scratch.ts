import { Redis } from 'ioredis';
import { redisUrl } from '../brokers/broker-urls.js';
import { uniqueName } from '../names/unique-name.js';
import { deleteKeysWithPrefix } from './delete-keys-with-prefix.js';

/** A Redis connection and a key prefix that belong to one test file. */
export interface RedisScratch {
  redis: Redis;
  /** `<tag><8 hex>:`; put every key the test writes under it. */
  prefix: string;
  /** Deletes every key under the prefix and disconnects; call it after what still writes them. */
  close(): Promise<void>;
}

/** Connects to the test Redis ({@link redisUrl}) with a prefix no other file or earlier run shares. */
export function openRedisScratch(tag: string): RedisScratch {
  const redis = new Redis(redisUrl);
  const prefix = `${uniqueName(tag)}:`;
  return {
    redis,
    prefix,
    async close() {
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
