import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { redisUrl } from '../brokers/broker-urls.js';
import { uniqueName } from '../names/unique-name.js';
import { deleteKeysWithPrefix } from './delete-keys-with-prefix.js';

const redis = new Redis(redisUrl);
const prefix = uniqueName('testing-delete-');

afterAll(async () => {
  await redis.del(`${prefix}-neighbour`);
  redis.disconnect();
});

it("deletes every key under the prefix, across SCAN pages, and leaves a neighbour's keys", async () => {
  const keys = Array.from({ length: 2500 }, (_, i) => `${prefix}:${i}`);
  await redis.mset(...keys.flatMap((key) => [key, '1']));
  await redis.set(`${prefix}-neighbour`, '1');

  await deleteKeysWithPrefix(redis, `${prefix}:`);

  expect(await redis.exists(...keys)).toBe(0);
  expect(await redis.get(`${prefix}-neighbour`)).toBe('1');
});
