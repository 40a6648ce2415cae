import { randomBytes } from 'node:crypto';
import { openRedisScratch } from '@interlink/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { unreachableRedis } from '../testing/unreachable-redis.test.helper.js';
import { createMemoryRevocationStore } from './memory-revocation-store.js';
import { createRedisRevocationStore } from './redis-revocation-store.js';
import type { RevocationStore } from './revocation-store.js';

const scratch = openRedisScratch('auth-test-revoked-');
const { redis, prefix } = scratch;

afterAll(() => scratch.close());

const NOW = Math.floor(Date.now() / 1000);

describe.each<[string, () => RevocationStore]>([
  ['memory', () => createMemoryRevocationStore()],
  ['redis', () => createRedisRevocationStore({ redis, prefix, timeoutMs: 10_000 })],
])('RevocationStore conformance: %s', (_name, make) => {
  it('denies a revoked jti and nothing else', async () => {
    const store = make();
    const jti = randomBytes(8).toString('hex');
    expect(await store.isRevoked({ jti, userId: 'u1', issuedAt: NOW })).toBe(false);
    await store.revokeToken(jti, NOW + 600);
    expect(await store.isRevoked({ jti, userId: 'u1', issuedAt: NOW })).toBe(true);
    expect(await store.isRevoked({ jti: `${jti}x`, userId: 'u1', issuedAt: NOW })).toBe(false);
  });

  it("revokes a user's tokens issued before the cut-off; a lower cut-off never lowers it", async () => {
    const store = make();
    const user = `u-${randomBytes(4).toString('hex')}`;
    await store.revokeTokensIssuedBefore(user, NOW);
    expect(await store.isRevoked({ userId: user, issuedAt: NOW - 1 })).toBe(true);
    expect(await store.isRevoked({ userId: user, issuedAt: NOW })).toBe(false);
    await store.revokeTokensIssuedBefore(user, NOW - 100);
    expect(await store.isRevoked({ userId: user, issuedAt: NOW - 1 })).toBe(true);
    expect(await store.isRevoked({ userId: 'someone-else', issuedAt: NOW - 1 })).toBe(false);
  });
});

describe('createRedisRevocationStore', () => {
  it('refuses (ERR_REVOCATION_STORE_UNAVAILABLE) when Redis cannot be reached', async () => {
    const down = unreachableRedis();
    const store = createRedisRevocationStore({ redis: down, prefix, timeoutMs: 300 });
    await expect(store.isRevoked({ jti: 'x', issuedAt: NOW })).rejects.toMatchObject({
      code: 'ERR_REVOCATION_STORE_UNAVAILABLE',
    });
    down.disconnect();
  });
});
