#!/usr/bin/env node
// Requests per second of a trivial JSON route through createService (request id, trace context,
// request context, helmet, metrics, problem handler) against bare Fastify, in the same run.
//
//   npm run build && node bench/service-kit.mjs [--seconds 5] [--rounds 3] [--connections 50] [--breakdown]
//
// Each server runs in its own child process and autocannon loads it from this one; rounds alternate
// so a noisy machine affects all sides alike. Prints one JSON line per round and a summary: the
// throughput ratio, and the capacity ratio (bare server CPU time per request / kit's).
//
// --breakdown adds two servers that are bare Fastify plus one onRequest hook doing only part of the
// kit's work: `bare+als` enters an AsyncLocalStorage context (as the kit does), `bare+als+headers`
// also sets the kit's default security headers and a request id header. Their capacity ratios are a
// ceiling for the kit, which does that and more (ids, trace context, logging, metrics).
import { AsyncLocalStorage } from 'node:async_hooks';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

if (process.argv[2] === '--serve') {
  const kind = process.argv[3];
  let address;
  if (kind.startsWith('bare')) {
    const { default: Fastify } = await import('fastify');
    const app = Fastify({ logger: false });
    if (kind !== 'bare') {
      const storage = new AsyncLocalStorage();
      const { API_HELMET_OPTIONS, helmetHeaders } = await import('../packages/core/dist/index.js');
      const headers = kind.endsWith('+headers')
        ? { 'x-request-id': '3f1c9e2a-7b4d-4c1e-9a8f-2d6b5e4c3a21', ...helmetHeaders(API_HELMET_OPTIONS) }
        : undefined;
      app.addHook('onRequest', (request, reply, done) => {
        if (headers) reply.headers(headers);
        storage.run({ requestId: request.id }, done);
      });
    }
    app.get('/json', async () => ({ hello: 'world' }));
    address = await app.listen({ port: 0, host: '127.0.0.1' });
  } else {
    const { createService } = await import('../packages/core/dist/index.js');
    const service = createService({ name: 'bench', logLevel: 'warn' });
    service.app.get('/json', async () => ({ hello: 'world' }));
    address = await service.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  }
  let started;
  process.on('message', (msg) => {
    if (msg === 'cpu-start') started = process.cpuUsage();
    if (msg === 'cpu-stop') {
      const used = process.cpuUsage(started);
      process.send({ cpuMicros: used.user + used.system });
    }
  });
  process.send({ address });
} else {
  const seconds = arg('seconds', 5);
  const rounds = arg('rounds', 3);
  const connections = arg('connections', 50);
  const self = fileURLToPath(import.meta.url);

  const start = (kind) =>
    new Promise((resolve) => {
      const child = fork(self, ['--serve', kind]);
      child.once('message', ({ address }) => resolve({ child, address }));
    });
  // Server CPU time per request is a second view that a busy machine disturbs less than throughput.
  const cpu = (child, msg) =>
    new Promise((resolve) => {
      if (msg === 'cpu-start') {
        child.send(msg);
        resolve();
      } else {
        child.once('message', ({ cpuMicros }) => resolve(cpuMicros));
        child.send(msg);
      }
    });
  const load = (url) =>
    new Promise((resolve, reject) =>
      autocannon({ url, connections, duration: seconds }, (err, result) =>
        err ? reject(err) : resolve(result),
      ),
    );

  const kinds = process.argv.includes('--breakdown')
    ? ['bare', 'bare+als', 'bare+als+headers', 'kit']
    : ['bare', 'kit'];
  const servers = {};
  for (const kind of kinds) servers[kind] = await start(kind);
  // Warm all up so the JIT has settled before anything is counted.
  for (const { address } of Object.values(servers)) {
    await new Promise((resolve) => autocannon({ url: `${address}/json`, connections, duration: 2 }, resolve));
  }
  const totals = Object.fromEntries(kinds.map((kind) => [kind, []]));
  const cpuPerRequest = Object.fromEntries(kinds.map((kind) => [kind, []]));
  for (let round = 1; round <= rounds; round++) {
    // Odd rounds in order, even rounds reversed, so no server always runs right after another.
    for (const kind of round % 2 ? kinds : [...kinds].reverse()) {
      await cpu(servers[kind].child, 'cpu-start');
      const result = await load(`${servers[kind].address}/json`);
      const micros = await cpu(servers[kind].child, 'cpu-stop');
      if (result.errors || result.non2xx)
        throw new Error(`${kind}: ${result.errors} errors, ${result.non2xx} non-2xx`);
      totals[kind].push(result.requests.average);
      cpuPerRequest[kind].push(micros / result.requests.total);
      console.log(
        JSON.stringify({
          round,
          kind,
          rps: Math.round(result.requests.average),
          p99ms: result.latency.p99,
          cpuMicrosPerRequest: Number((micros / result.requests.total).toFixed(1)),
        }),
      );
    }
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const bare = mean(totals.bare);
  const kit = mean(totals.kit);
  console.log(
    JSON.stringify({
      benchmark: 'service-kit',
      bareFastifyRps: Math.round(bare),
      createServiceRps: Math.round(kit),
      ratio: Number((kit / bare).toFixed(3)),
      target: 0.85,
      cpuMicrosPerRequest: {
        bare: Number(mean(cpuPerRequest.bare).toFixed(1)),
        kit: Number(mean(cpuPerRequest.kit).toFixed(1)),
      },
      capacityRatio: Number((mean(cpuPerRequest.bare) / mean(cpuPerRequest.kit)).toFixed(3)),
      ...(kinds.length > 2
        ? {
            breakdown: Object.fromEntries(
              kinds
                .filter((kind) => kind !== 'bare')
                .map((kind) => [
                  kind,
                  {
                    cpuMicrosPerRequest: Number(mean(cpuPerRequest[kind]).toFixed(1)),
                    capacityRatio: Number((mean(cpuPerRequest.bare) / mean(cpuPerRequest[kind])).toFixed(3)),
                  },
                ]),
            ),
          }
        : {}),
    }),
  );
  for (const { child } of Object.values(servers)) child.kill();
}
