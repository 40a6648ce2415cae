#!/usr/bin/env node
// Promises and other async resources created per request through @interlink/auth's Fastify plugin,
// counted with async_hooks: a figure that does not move with the machine's load, unlike CPU time on
// shared cores. Signed POSTs (hmac-sha256) to a route with `config: { auth: 'service' }`, with the
// memory and the Redis nonce store, against the same signed requests to a route without auth, sent
// one at a time with `inject` (so each Redis batch holds one claim: its per-batch resources count
// in full; under load they are shared by the batch).
//
//   npx tsc -b packages/auth && node bench/auth-async-count.mjs [--n 200]
//
// Needs Redis (REDIS_URL, default redis://127.0.0.1:6379); its keys go under a random prefix and
// are deleted at the end.
import { createHook } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { numberArg as arg } from './lib/args.mjs';

const auth = await import('../packages/auth/dist/index.js');
const { SEED_001_SERVICE_PERMISSIONS } = await import('../packages/auth/dist/presets.js');
const n = arg('n', 200);
const warm = 20;
const secret = randomBytes(32);
const authority = '127.0.0.1:9999';
const prefix = `interlink-bench:auth-async:${randomBytes(4).toString('hex')}:`;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const counts = new Map();
createHook({
  init(_id, type) {
    counts.set(type, (counts.get(type) ?? 0) + 1);
  },
}).enable();

const key = auth.createSigningKey({ keyId: 'hmac-1', alg: 'hmac-sha256', secret });
const body = '{"n":1}';
const signed = (path) => {
  const headers = { host: authority, 'content-type': 'application/json' };
  return { ...headers, ...auth.signRequest({ method: 'POST', url: path, headers, body }, { key }) };
};
const results = {};
for (const store of ['memory', 'redis']) {
  const app = Fastify({ logger: false });
  await app.register(auth.authPlugin, {
    signatures: auth.createRequestVerifier({
      keys: auth.createKeyring([{ keyId: 'hmac-1', service: 'event-service', alg: 'hmac-sha256', secret }]),
      nonceStore:
        store === 'memory'
          ? auth.createMemoryNonceStore({ maxEntries: 100_000 })
          : auth.createRedisNonceStore({ redis, prefix }),
      authority,
    }),
    servicePermissions: SEED_001_SERVICE_PERMISSIONS,
  });
  app.post('/none', async () => ({ hello: 'world' }));
  app.post('/service', { config: { auth: 'service', permission: 'sync:events' } }, async () => ({
    hello: 'world',
  }));
  await app.ready();
  for (const path of ['/none', '/service']) {
    const sets = Array.from({ length: warm + n }, () => signed(path));
    for (let i = 0; i < warm; i++)
      await app.inject({ method: 'POST', url: path, headers: sets[i], payload: body });
    counts.clear();
    for (let i = warm; i < warm + n; i++) {
      const res = await app.inject({ method: 'POST', url: path, headers: sets[i], payload: body });
      if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    }
    results[`${store} ${path}`] = Object.fromEntries(
      [...counts].map(([type, count]) => [type, Number((count / n).toFixed(2))]),
    );
  }
  await app.close();
}
const stale = await redis.keys(`${prefix}*`);
for (let i = 0; i < stale.length; i += 1000) await redis.del(...stale.slice(i, i + 1000));
await redis.quit();
console.log(JSON.stringify({ benchmark: 'auth-async-count', node: process.version, perRequest: results }));
