import { randomBytes } from 'node:crypto';
import { openRedisScratch } from '@interlink/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { Inbox } from './inbox.js';
import { createMemoryInbox } from './memory-inbox.js';
import { createRedisInbox } from './redis-inbox.js';

const scratch = openRedisScratch('bus-test-');
const { redis } = scratch;
const prefix = `${scratch.prefix}inbox:`;

afterAll(() => scratch.close());

const inboxes: Array<[string, (ttlMs: number) => Inbox]> = [
  ['memory', (ttlMs) => createMemoryInbox({ ttlMs })],
  ['redis', (ttlMs) => createRedisInbox({ redis, prefix, ttlMs })],
];

describe.each(inboxes)('%s inbox', (_name, create) => {
  it('lets each group claim an event once, and again after release', async () => {
    const inbox = create(60_000);
    const id = randomBytes(8).toString('hex');
    expect(await inbox.claim('billing', id)).toBe(true);
    expect(await inbox.claim('billing', id)).toBe(false);
    expect(await inbox.claim('emails', id)).toBe(true);
    await inbox.release('billing', id);
    expect(await inbox.claim('billing', id)).toBe(true);
  });

  it('forgets claims after the retention', async () => {
    const inbox = create(20);
    const id = randomBytes(8).toString('hex');
    expect(await inbox.claim('billing', id)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await inbox.claim('billing', id)).toBe(true);
  });
});
