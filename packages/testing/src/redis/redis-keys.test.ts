import { afterAll, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from './delete-keys-with-prefix.js';
import { openRedisScratch } from './redis-scratch.js';

const scratch = openRedisScratch('testing-delete-');
const { redis, prefix } = scratch;

afterAll(() => scratch.close());

it("deletes every key under the prefix, across SCAN pages, and leaves a neighbour's keys", async () => {
  const keys = Array.from({ length: 2500 }, (_, i) => `${prefix}a:${i}`);
  await redis.mset(...keys.flatMap((key) => [key, '1']));
  await redis.set(`${prefix}b`, '1');

  await deleteKeysWithPrefix(redis, `${prefix}a:`);

  expect(await redis.exists(...keys)).toBe(0);
  expect(await redis.get(`${prefix}b`)).toBe('1');
});

it("puts a scratch's keys under the tag and a unique id", () => {
  expect(prefix).toMatch(/^testing-delete-[0-9a-f]{8}:$/);
});
