#!/usr/bin/env node
// CPU cost of @interlink/auth's RFC 9421 signer and verifier, in µs per call, in one process: a POST
// with a ~200-byte JSON body and the identity headers (x-tenant-id, x-user-id, idempotency-key),
// signed as @interlink/client signs it (createRequestSigner, absolute URL) and verified as the
// Fastify plugin hands it over (origin-form URL, Node's lower-case headers, raw body Buffer), with
// the in-memory nonce store. The baseline, measured in the same run, is one bare createHmac over a
// signature base of the same size: the floor no signer or verifier can go under.
// Last, the verifier with the Redis nonce store (an auto-pipelined client, 20 requests in flight,
// each started in its own macrotask as a server's are), as CPU time (user + system) of this
// process per request: its wall time would be Redis round trips.
//
//   npx tsc -b packages/auth && node bench/auth-signatures.mjs [--n 20000] [--rounds 5]
//
// Prints one JSON line per round and a summary with the median of the rounds. Needs Redis
// (REDIS_URL, default redis://127.0.0.1:6379); its keys go under a random prefix, deleted at the end.
import { createHmac, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { numberArg as arg } from './lib/args.mjs';
import { cpuMicrosSince } from './lib/cpu.mjs';
import { median } from './lib/statistics.mjs';

const N = arg('n', 20_000);
const rounds = arg('rounds', 5);
const auth = await import('../packages/auth/dist/index.js');

const secret = randomBytes(32);
const signer = auth.createRequestSigner({
  key: auth.createSigningKey({ keyId: 'hmac-1', alg: 'hmac-sha256', secret }),
});
const keys = auth.createKeyring([{ keyId: 'hmac-1', service: 'event-service', alg: 'hmac-sha256', secret }]);
const verifyOptions = { keys, nonceStore: auth.createMemoryNonceStore({ maxEntries: 10_000_000 }) };
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true });
const prefix = `interlink-bench:auth-signatures:${randomBytes(4).toString('hex')}:`;
const redisOptions = { keys, nonceStore: auth.createRedisNonceStore({ redis, prefix }) };
const body = Buffer.from(
  JSON.stringify({
    eventId: 'evt_01HZX3K9Q8W2N5T7',
    type: 'ticket.reserved',
    tenant: 'tenant-a',
    seats: [
      { row: 'F', seat: 12 },
      { row: 'F', seat: 13 },
    ],
    amount: { currency: 'EUR', value: 12900 },
    at: '2026-11-23T16:39:00.000Z',
  }),
);
// Headers as the client has them when it signs (lower-case, propagation headers included).
const clientHeaders = () => ({
  'content-type': 'application/json',
  'x-tenant-id': 'tenant-a',
  'x-user-id': 'user-42',
  'idempotency-key': randomBytes(8).toString('hex'),
  'x-request-id': randomBytes(8).toString('hex'),
  traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
});
const outbound = (headers) => ({
  method: 'POST',
  url: 'http://events.internal:3000/v1/events/sync?source=seed-001',
  headers,
  body,
});
// The request as the Fastify plugin hands it to the verifier. Values are decoded from bytes, as
// Node's HTTP parser makes them: the signer's own strings (concatenations, not yet flattened) would
// charge the verifier for flattening them.
const wire = (value) => Buffer.from(value, 'latin1').toString('latin1');
const inbound = (headers, signed) => {
  const all = {
    host: 'events.internal:3000',
    connection: 'keep-alive',
    'content-length': String(body.length),
    ...headers,
    ...signed,
  };
  const parsed = {};
  for (const [name, value] of Object.entries(all)) parsed[name] = wire(value);
  return { method: 'POST', url: wire('/v1/events/sync?source=seed-001'), headers: parsed, body };
};

const us = (ms, n) => Number(((ms * 1000) / n).toFixed(2));
const results = { signUs: [], verifyUs: [], bareHmacUs: [], verifyRedisCpuUs: [] };
for (let round = 0; round < rounds; round++) {
  const headerSets = Array.from({ length: N }, clientHeaders);
  const signed = new Array(N);
  let t = performance.now();
  for (let i = 0; i < N; i++) signed[i] = signer.sign(outbound(headerSets[i]));
  const signMs = performance.now() - t;

  const requests = headerSets.map((h, i) => inbound(h, signed[i]));
  t = performance.now();
  for (const r of requests) await auth.verifyRequest(r, verifyOptions);
  const verifyMs = performance.now() - t;

  const base = `${'x'.repeat(400)}\n"@signature-params": ("@method");created=1`;
  t = performance.now();
  for (let i = 0; i < N; i++) createHmac('sha256', secret).update(base).digest();
  const hmacMs = performance.now() - t;

  const redisRequests = headerSets.map((h) => inbound(h, signer.sign(outbound(h))));
  const cpu = process.cpuUsage();
  await new Promise((resolve, reject) => {
    let issued = 0;
    let done = 0;
    // Each verification starts in its own macrotask, as a server's requests do, 20 in flight.
    const next = () => {
      if (issued === N) return;
      auth.verifyRequest(redisRequests[issued++], redisOptions).then(() => {
        if (++done === N) resolve();
        else setImmediate(next);
      }, reject);
    };
    for (let i = 0; i < 20; i++) setImmediate(next);
  });
  const cpuMicros = cpuMicrosSince(cpu);

  const line = {
    round,
    signUs: us(signMs, N),
    verifyUs: us(verifyMs, N),
    bareHmacUs: us(hmacMs, N),
    verifyRedisCpuUs: us(cpuMicros / 1000, N),
  };
  for (const k of Object.keys(results)) results[k].push(line[k]);
  console.log(JSON.stringify(line));
}
const signUs = median(results.signUs);
const verifyUs = median(results.verifyUs);
const bareHmacUs = median(results.bareHmacUs);
const stale = await redis.keys(`${prefix}*`);
for (let i = 0; i < stale.length; i += 1000) await redis.del(...stale.slice(i, i + 1000));
await redis.quit();
console.log(
  JSON.stringify({
    benchmark: 'auth-signatures',
    node: process.version,
    n: N,
    signUs,
    verifyUs,
    bareHmacUs,
    verifyRedisCpuUs: median(results.verifyRedisCpuUs),
    signOverBareHmac: Number((signUs / bareHmacUs).toFixed(1)),
    verifyOverBareHmac: Number((verifyUs / bareHmacUs).toFixed(1)),
  }),
);
