#!/usr/bin/env node
// Requests per second and server CPU per request of a trivial JSON route through createService's two
// profiles, each against its baseline, measured in the same run:
//   internal  createService({ profile: 'internal' })  vs  bare Fastify (no logger, no hooks)
//   public    createService({ profile: 'public' })    vs  the same features from the ecosystem's
//             plugins: @fastify/helmet (the kit's header set), @fastify/request-context,
//             fastify-metrics (histogram only, as the kit), Fastify's own pino request logging, and
//             one hook for request id echo and W3C trace context (no plugin does that part).
// Every logger in the run is at `warn`, so no side writes request lines and both pay for the same
// per-request child logger.
//
//   npm run build && node bench/service-kit.mjs [--seconds 5] [--rounds 3] [--connections 50] [--breakdown]
//
// Each server runs in its own child process and autocannon loads it from this one; rounds alternate
// so a noisy machine affects all sides alike. Prints one JSON line per round and a summary with the
// throughput ratio and the capacity ratio (baseline CPU time per request / the kit's) of each pair.
// CPU per request is the figure a busy machine disturbs less.
//
// --breakdown adds servers that are bare Fastify plus one onRequest hook doing only part of the
// kit's work: `bare+als` enters an AsyncLocalStorage context, `bare+als+id` also sets a request id
// header (the internal profile's one header), `bare+als+headers` also sets the public profile's
// browser headers. Their capacity ratios against bare Fastify are a ceiling for the profiles. It
// also adds `bare+logger+timeouts`, bare Fastify with what a production Fastify service configures
// anyway (a pino logger, which makes Fastify build a child logger and response listeners per
// request, and the kit's idle, keep-alive, request and header timeouts), and prints `internal`
// against it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { numberArg as arg } from './lib/args.mjs';
import { median } from './lib/statistics.mjs';

const REQUEST_ID = '3f1c9e2a-7b4d-4c1e-9a8f-2d6b5e4c3a21';

async function bareServer(kind) {
  const { default: Fastify } = await import('fastify');
  if (kind === 'bare+logger+timeouts') {
    // What a production Fastify service configures anyway: a pino logger (here at warn, as every
    // side of the run) and the kit's default timeouts, nothing else.
    const { pino } = await import('pino');
    const { DEFAULT_SERVICE_TIMEOUTS: t } = await import('../packages/core/dist/index.js');
    return Fastify({
      loggerInstance: pino({ level: 'warn' }),
      connectionTimeout: t.idleMs,
      keepAliveTimeout: t.keepAliveMs,
      requestTimeout: t.requestMs,
      http: { headersTimeout: t.headersMs, connectionsCheckingInterval: Math.floor(t.headersMs / 4) },
    });
  }
  const app = Fastify({ logger: false });
  if (kind !== 'bare') {
    const storage = new AsyncLocalStorage();
    const { API_HELMET_OPTIONS, helmetHeaders } = await import('../packages/core/dist/index.js');
    const browser = kind.endsWith('+headers') ? helmetHeaders(API_HELMET_OPTIONS) : undefined;
    const withId = kind.endsWith('+id') || browser !== undefined;
    app.addHook('onRequest', (request, reply, done) => {
      if (withId) reply.header('x-request-id', REQUEST_ID);
      if (browser) reply.headers(browser);
      storage.run({ requestId: request.id }, done);
    });
  }
  return app;
}

async function ecosystemServer() {
  const { default: Fastify } = await import('fastify');
  const { default: helmet } = await import('@fastify/helmet');
  const { fastifyRequestContext } = await import('@fastify/request-context');
  const { default: metrics } = await import('fastify-metrics');
  const core = await import('../packages/core/dist/index.js');
  const app = Fastify({
    logger: { level: 'warn' },
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
  });
  await app.register(helmet, core.API_HELMET_OPTIONS);
  await app.register(fastifyRequestContext);
  await app.register(metrics, {
    endpoint: '/metrics',
    defaultMetrics: { enabled: true },
    routeMetrics: { enabled: { histogram: true, summary: false } },
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const parent = core.parseTraceparent(request.headers.traceparent);
    const ids = parent ? { traceId: parent.traceId, spanId: core.newSpanId() } : core.newTraceAndSpanId();
    request.requestContext.set('requestId', request.id);
    request.requestContext.set('trace', ids);
    done();
  });
  app.setErrorHandler(core.problemErrorHandler);
  app.setNotFoundHandler(core.problemNotFoundHandler);
  return app;
}

if (process.argv[2] === '--serve') {
  const kind = process.argv[3];
  let address;
  if (kind === 'internal' || kind === 'public') {
    const { createService } = await import('../packages/core/dist/index.js');
    const service = createService({ name: 'bench', logLevel: 'warn', profile: kind });
    service.app.get('/json', async () => ({ hello: 'world' }));
    address = await service.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  } else {
    const app = kind === 'ecosystem' ? await ecosystemServer() : await bareServer(kind);
    app.get('/json', async () => ({ hello: 'world' }));
    address = await app.listen({ port: 0, host: '127.0.0.1' });
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

  const kinds = [
    'bare',
    'internal',
    'ecosystem',
    'public',
    ...(process.argv.includes('--breakdown')
      ? ['bare+als', 'bare+als+id', 'bare+als+headers', 'bare+logger+timeouts']
      : []),
  ];
  const servers = {};
  for (const kind of kinds) servers[kind] = await start(kind);
  // Warm all up so the JIT has settled before anything is counted.
  for (const { address } of Object.values(servers)) {
    await new Promise((resolve) => autocannon({ url: `${address}/json`, connections, duration: 2 }, resolve));
  }
  const rps = Object.fromEntries(kinds.map((kind) => [kind, []]));
  const cpuPerRequest = Object.fromEntries(kinds.map((kind) => [kind, []]));
  for (let round = 1; round <= rounds; round++) {
    // Odd rounds in order, even rounds reversed, so no server always runs right after another.
    for (const kind of round % 2 ? kinds : [...kinds].reverse()) {
      await cpu(servers[kind].child, 'cpu-start');
      const result = await load(`${servers[kind].address}/json`);
      const micros = await cpu(servers[kind].child, 'cpu-stop');
      if (result.errors || result.non2xx)
        throw new Error(`${kind}: ${result.errors} errors, ${result.non2xx} non-2xx`);
      rps[kind].push(result.requests.average);
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
  const round3 = (x) => Number(x.toFixed(3));
  const pair = (kit, baseline, target) => ({
    rps: { [kit]: Math.round(mean(rps[kit])), [baseline]: Math.round(mean(rps[baseline])) },
    cpuMicrosPerRequest: {
      [kit]: Number(mean(cpuPerRequest[kit]).toFixed(1)),
      [baseline]: Number(mean(cpuPerRequest[baseline]).toFixed(1)),
    },
    ratio: round3(mean(rps[kit]) / mean(rps[baseline])),
    // The same ratio per round (the two sides ran minutes apart at most), then the median: one
    // round caught by a slow spell of the host moves the mean ratio, not this one.
    medianRoundRatio: round3(median(rps[kit].map((x, i) => x / rps[baseline][i]))),
    capacityRatio: round3(mean(cpuPerRequest[baseline]) / mean(cpuPerRequest[kit])),
    target,
  });
  console.log(
    JSON.stringify({
      benchmark: 'service-kit',
      node: process.version,
      seconds,
      rounds,
      connections,
      internalVsBareFastify: pair('internal', 'bare', 0.85),
      publicVsEcosystem: pair('public', 'ecosystem', 1.2),
      ...(kinds.includes('bare+logger+timeouts')
        ? { internalVsBareWithLoggerAndTimeouts: pair('internal', 'bare+logger+timeouts') }
        : {}),
      ...(kinds.length > 4
        ? {
            breakdown: Object.fromEntries(
              kinds
                .filter((kind) => kind.startsWith('bare+als'))
                .map((kind) => [
                  kind,
                  {
                    cpuMicrosPerRequest: Number(mean(cpuPerRequest[kind]).toFixed(1)),
                    capacityRatio: round3(mean(cpuPerRequest.bare) / mean(cpuPerRequest[kind])),
                  },
                ]),
            ),
          }
        : {}),
    }),
  );
  for (const { child } of Object.values(servers)) child.kill();
}
