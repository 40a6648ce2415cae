import { randomBytes } from 'node:crypto';
import { openRedisScratch, redisUrl } from '@interlink/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import { createRedisNonceStore } from '../replay/redis-nonce-store.js';
import type { SignableRequest } from './http-message.js';
import { signRequest } from './sign-request.js';
import { createKeyring, createSigningKey } from './signature-keys.js';
import { type VerifyRequestOptions, verifyRequest } from './verify-request.js';

const scratch = openRedisScratch('auth-test-replay-');
const prefix = scratch.prefix;
// Two clients, as two replicas would have.
const redisA = scratch.redis;
const redisB = new Redis(redisUrl, { maxRetriesPerRequest: 1 });

afterAll(async () => {
  await scratch.close();
  await redisB.quit();
});

const secret = randomBytes(32);
const key = createSigningKey({ keyId: 'events-1', alg: 'hmac-sha256', secret });

function verifier(store: VerifyRequestOptions['nonceStore']) {
  const options: VerifyRequestOptions = {
    keys: createKeyring([{ keyId: 'events-1', service: 'event-service', alg: 'hmac-sha256', secret }]),
    nonceStore: store,
  };
  return (request: SignableRequest) =>
    verifyRequest(request, options).then(
      () => 'accepted',
      (error: { code: string }) => error.code,
    );
}

async function inBatches<T>(items: T[], run: (item: T, index: number) => Promise<string>): Promise<string[]> {
  const out: string[] = [];
  for (let start = 0; start < items.length; start += 100) {
    out.push(...(await Promise.all(items.slice(start, start + 100).map((item, j) => run(item, start + j)))));
  }
  return out;
}

function signedRequest(i: number): SignableRequest {
  const request: SignableRequest = {
    method: 'POST',
    url: `/sync/events?batch=${i}`,
    headers: { host: 'integrations', 'content-type': 'application/json' },
    body: JSON.stringify({ i }),
  };
  return { ...request, headers: { ...request.headers, ...signRequest(request, { key }) } };
}

describe('replay protection across replicas (finding #14)', () => {
  it('two verifier instances sharing Redis accept 0 of 1,000 replays', async () => {
    const a = verifier(createRedisNonceStore({ redis: redisA, prefix, timeoutMs: 15_000 }));
    const b = verifier(createRedisNonceStore({ redis: redisB, prefix, timeoutMs: 15_000 }));
    const requests = Array.from({ length: 1000 }, (_, i) => signedRequest(i));
    // In batches: the point is two replicas, not how many requests one event loop can hold.
    const first = await inBatches(requests, (r, i) => (i % 2 === 0 ? a(r) : b(r)));
    expect(new Set(first)).toEqual(new Set(['accepted']));
    const replays = await inBatches(requests, (r, i) => (i % 2 === 0 ? b(r) : a(r)));
    expect(replays.filter((r) => r === 'accepted')).toHaveLength(0);
    expect(new Set(replays)).toEqual(new Set(['ERR_NONCE_REPLAYED']));
  });

  it('the same request raced at both replicas is accepted exactly once', async () => {
    const a = verifier(createRedisNonceStore({ redis: redisA, prefix, timeoutMs: 15_000 }));
    const b = verifier(createRedisNonceStore({ redis: redisB, prefix, timeoutMs: 15_000 }));
    const requests = Array.from({ length: 200 }, (_, i) => signedRequest(10_000 + i));
    const results = await Promise.all(requests.map((r) => Promise.all([a(r), b(r)])));
    for (const pair of results) expect(pair.filter((r) => r === 'accepted')).toHaveLength(1);
  });

  it('per-process memory stores, as seed 002 kept them, do let the replay through: why Redis is required', async () => {
    const a = verifier(createMemoryNonceStore());
    const b = verifier(createMemoryNonceStore());
    const r = signedRequest(99_999);
    expect(await a(r)).toBe('accepted');
    expect(await b(r)).toBe('accepted');
  });
});
