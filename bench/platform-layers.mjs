#!/usr/bin/env node
// What the platform's own layers cost per request, without HTTP sockets or PostgreSQL: ticket-service
// as createPlatformService builds it (signature check with nonce claim, permission and signed tenant,
// the kit's hooks, input validation, the answer's contract check and serialization), with a handler
// that answers a fixed row, against a bare Fastify route answering the same row. Both are driven with
// Fastify's `inject`, so the difference is our layers alone; the requests carry the typed client's
// headers (signed ahead of the timed loop, one nonce each).
//
//   npx tsc -b && node bench/platform-layers.mjs [--requests 20000] [--rounds 5]
//
// BENCH_PROFILE=<dir>: run with `node --cpu-prof --cpu-prof-dir=<dir>` for the profile.
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { createPlatformService } from '../apps/platform/dist/service/create-platform-service.js';
import {
  createKeyring,
  createMemoryNonceStore,
  createRequestSigner,
  createSigningKey,
} from '../packages/auth/dist/index.js';
import { ticketServiceContract } from '../packages/contracts/dist/index.js';
import { numberArg as arg } from './lib/args.mjs';
import { header } from './lib/report.mjs';
import { median } from './lib/statistics.mjs';

const requests = arg('requests', 20_000);
// For measurement only: a nonce store that accepts every claim, to see what replay protection costs.
const noReplay = process.argv.includes('--no-replay');
const rounds = arg('rounds', 5);
const CALLER = 'payment-service';
const tenantId = randomUUID();
const answer = {
  ticketId: randomUUID(),
  status: 'sold',
  userId: randomUUID(),
  eventId: randomUUID(),
  hasBeenTransferred: false,
};

const key = { keyId: 'layers', secret: randomBytes(32).toString('base64url') };
// Never connected: the stub handler sends no query.
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', max: 1 });
const stub = async () => ({ ...answer });
const handlers = Object.fromEntries(Object.keys(ticketServiceContract.routes).map((name) => [name, stub]));
const service = await createPlatformService({
  contract: ticketServiceContract,
  pool,
  keyring: createKeyring([{ ...key, service: CALLER, alg: 'hmac-sha256' }]),
  nonceStore: noReplay
    ? { claim: async () => true }
    : createMemoryNonceStore({ maxEntries: 2 * requests * (rounds + 1) }),
  handlers,
  production: false,
  logLevel: 'warn',
  closePool: false,
  authority: 'localhost',
});
await service.app.ready();

const bare = Fastify({ logger: false });
bare.get('/internal/tickets/:ticketId/status', stub);
await bare.ready();

const signer = createRequestSigner({
  key: createSigningKey({ keyId: key.keyId, alg: 'hmac-sha256', secret: key.secret }),
});
const origin = 'http://localhost';
/** `n` requests as the typed client sends them: propagation headers, then the signature. */
function signedRequests(n) {
  return Array.from({ length: n }, () => {
    const path = `/internal/tickets/${answer.ticketId}/status`;
    const headers = {
      accept: 'application/json',
      traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
      'x-request-id': randomUUID(),
      'x-tenant-id': tenantId,
      'x-interlink-deadline': String(Date.now() + 60_000),
    };
    const signed = signer.sign({ method: 'GET', url: origin + path, origin, path, headers, body: undefined });
    return { method: 'GET', url: path, headers: { host: 'localhost', ...headers, ...signed } };
  });
}

const check = await service.app.inject(signedRequests(1)[0]);
if (check.statusCode !== 200) throw new Error(`service refused: ${check.statusCode} ${check.body}`);

async function run(app, batch) {
  const cpu = process.cpuUsage();
  for (const request of batch) {
    const res = await app.inject(request);
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / batch.length;
}

const results = { service: [], bare: [] };
for (let round = 0; round <= rounds; round++) {
  const batch = signedRequests(requests);
  const s = await run(service.app, batch);
  const b = await run(bare, batch);
  // Round 0 warms both up.
  if (round > 0) {
    results.service.push(s);
    results.bare.push(b);
  }
}
console.log(
  header(
    `platform layers by inject, ${rounds} rounds x ${requests} requests${noReplay ? ', NO replay check (measurement only)' : ''}`,
  ),
);
const s = median(results.service);
const b = median(results.bare);
console.log(`ticket-service (all layers)  ${s.toFixed(1).padStart(6)} µs CPU/request`);
console.log(`bare Fastify route           ${b.toFixed(1).padStart(6)} µs CPU/request`);
console.log(`our layers                   ${(s - b).toFixed(1).padStart(6)} µs CPU/request`);
await service.close();
await bare.close();
await pool.end();
