#!/usr/bin/env node
// Requests per second and latency of one internal read through the platform (issue 17): the typed
// client of @interlink/client calls ticket-service's `GET /internal/tickets/:ticketId/status`,
// signed with RFC 9421; the service verifies the signature, claims its nonce (replay check),
// checks the caller's permission and the signed tenant, validates the input and its answer against
// the contract, and runs one indexed PostgreSQL read; the client validates the answer against the
// same contract. Against it, in the same run: the same SQL issued directly with `pg` (the bypass
// seed 004 removes), same pool size, same concurrency.
//
//   npx tsc -b && node bench/platform.mjs [--seconds 5] [--rounds 6] [--concurrency 32] [--pool 10] [--rows 10000] [--direct-unnamed]
//
// The `pg` side sends the handler's own query config, a named statement like the service's. With
// --direct-unnamed it sends the same SQL unnamed (parsed and planned on every call), as a bypass
// written without care would: for reference only, since the sides then no longer do the same read.
//
// PostgreSQL: the real server at 127.0.0.1:5432 (or DATABASE_URL), isolated as the platform's tests
// are: a database `interlink_db_<random>` with suffixed roles and schemas for the five services,
// migrated and seeded with the demo rows plus `--rows` tickets, dropped at the end.
// ticket-service runs in a child process, as deployed (its own event loop); the direct side's `pg`
// pool runs in this process, where the caller would be. Both read the same tickets in the same
// order, connected as ticket-service's own role. The sides take turns in ABBA rounds, so a noisy
// machine affects both alike; figures are medians of the rounds. CPU per request counts the Node
// processes only (this one, plus the service's for the typed side), not PostgreSQL's.
// BENCH_PROFILE=<dir> writes a CPU profile of the service process there (run this one with
// `node --cpu-prof --cpu-prof-dir=<dir>` for the caller's).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Pool } from 'undici';
import {
  createKeyring,
  createMemoryNonceStore,
  createRequestSigner,
  createSigningKey,
} from '../packages/auth/dist/index.js';
import { createServiceClient, createTypedClient } from '../packages/client/dist/index.js';
import { ticketServiceContract } from '../packages/contracts/dist/index.js';
import { numberArg as arg } from './lib/args.mjs';
import { cpuMicrosSince } from './lib/cpu.mjs';
import { pgBackendCpu } from './lib/pg-backend-cpu.mjs';
import { formatRate, header, medianRatio } from './lib/report.mjs';
import { alternate, rotate, runRounds } from './lib/rounds.mjs';
import { median, percentile } from './lib/statistics.mjs';

const CALLER = 'payment-service';

/** The same connection string with the host replaced by PostgreSQL's Unix socket directory. */
function viaSocket(url) {
  const parsed = new URL(url);
  parsed.searchParams.set('host', process.env.PG_SOCKET_DIR ?? '/var/run/postgresql');
  return parsed.toString();
}

/** The 1, 5 and 15 minute load averages: the machine is shared, so each run says how busy it was. */
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

if (process.argv[2] === '--serve') {
  // The service process: ticket-service exactly as startPlatformServices builds it, with one
  // caller's key in its keyring.
  const { createTicketService } = await import('../apps/platform/dist/ticket/ticket-service.js');
  const [message] = await once(process, 'message');
  const { url, poolSize, key, nonceEntries } = message;
  const service = await createTicketService({
    pool: new pg.Pool({ connectionString: url, max: poolSize }),
    keyring: createKeyring([{ ...key, service: CALLER, alg: 'hmac-sha256' }]),
    // Nonces live for the signature's validity plus skew (90 s), so the store holds rate x 90 s of
    // them: the default 100 000 would refuse claims above about 1 100 requests/s sustained.
    nonceStore: createMemoryNonceStore({ maxEntries: nonceEntries }),
    production: false,
    logLevel: 'warn',
    isUserOfTenant: async () => {
      throw new Error('the status read never asks auth-service');
    },
  });
  const address = await service.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  // The reference line: a bare Fastify route doing the same read with its own pool of the same
  // size, no auth, no contract, no kit hooks: what HTTP and pg cost by themselves in this process.
  const { default: Fastify } = await import('fastify');
  const { TICKET_STATUS_QUERY } = await import('../apps/platform/dist/ticket/ticket-handlers.js');
  const { ticketStatusOf } = await import('../apps/platform/dist/ticket/ticket-rows.js');
  const barePool = new pg.Pool({ connectionString: url, max: poolSize });
  const bare = Fastify({ logger: false });
  bare.get('/internal/tickets/:ticketId/status', async (request) => {
    const { rows } = await barePool.query({
      ...TICKET_STATUS_QUERY,
      values: [request.headers['x-tenant-id'], request.params.ticketId],
    });
    return ticketStatusOf(rows[0]);
  });
  const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });
  let cpuSince = process.cpuUsage();
  process.on('message', async (msg) => {
    if (msg === 'cpu-start') cpuSince = process.cpuUsage();
    if (msg === 'cpu-stop') {
      const used = process.cpuUsage(cpuSince);
      process.send({ cpuMicros: used.user + used.system, systemMicros: used.system });
    }
    if (msg === 'close') {
      await bare.close();
      await barePool.end();
      await service.close();
      process.exit(0);
    }
  });
  process.send({ address, bareAddress });
} else {
  const seconds = arg('seconds', 5);
  const rounds = arg('rounds', 6);
  const concurrency = arg('concurrency', 32);
  const poolSize = arg('pool', 10);
  const extraRows = arg('rows', 10_000);
  const directUnnamed = process.argv.includes('--direct-unnamed');
  // HTTP/1.1 pipelining on the typed client's connections (1: none, the client's default).
  const pipelining = arg('pipelining', 1);
  // Both sides reach PostgreSQL over its Unix socket instead of TCP loopback.
  const pgSocket = process.argv.includes('--pg-socket');
  const withBare = !process.argv.includes('--no-bare');
  // For a profile of one side alone (BENCH_PROFILE): `--only typed` or `--only bare` runs that side
  // and no other, so the service's profile holds nothing else.
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const loadAtStart = loadAverage();
  const server = process.env.DATABASE_URL ?? 'postgres://postgres:test@127.0.0.1:5432/test';

  const { createScratchDatabase } = await import('../apps/platform/dist/db/scratch-database.js');
  const { preparePlatformDatabases, DATA_SERVICES, DEMO } = await import('../apps/platform/dist/db/index.js');
  const { ticketStatusOf } = await import('../apps/platform/dist/ticket/ticket-rows.js');
  const { TICKET_STATUS_QUERY } = await import('../apps/platform/dist/ticket/ticket-handlers.js');

  const scratch = await createScratchDatabase(server);
  const roles = DATA_SERVICES.map((service) => `${service}_${scratch.suffix}_svc`);
  const cleanups = [];
  try {
    const databases = await preparePlatformDatabases({
      adminUrl: scratch.adminUrl,
      suffix: scratch.suffix,
      demoData: true,
    });
    const ticketUrl = pgSocket ? viaSocket(databases.ticket.url) : databases.ticket.url;
    const tenantId = DEMO.tenants.acme;

    // More tickets than the demo's three, so the read is an index lookup in a table of some size.
    const setup = new pg.Client(ticketUrl);
    await setup.connect();
    await setup.query(
      `INSERT INTO tickets (id, tenant_id, event_id, ticket_type_id, order_id, user_id, original_user_id, status, price_cents)
       SELECT gen_random_uuid(), t.tenant_id, t.event_id, t.ticket_type_id, t.order_id, t.user_id, t.original_user_id, 'active', t.price_cents
         FROM tickets t CROSS JOIN generate_series(1, $2::int) WHERE t.id = $1`,
      [DEMO.tickets.acmeUsed, extraRows],
    );
    await setup.query('ANALYZE tickets');
    await setup.query('ANALYZE transfers');
    const ids = (await setup.query('SELECT id FROM tickets WHERE tenant_id = $1', [tenantId])).rows.map(
      (r) => r.id,
    );
    await setup.end();

    // The service in its own process, knowing the caller's key.
    const key = { keyId: `bench-${CALLER}`, secret: randomBytes(32).toString('base64url') };
    const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
      stdio: 'inherit',
      execArgv: process.env.BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
        : [],
    });
    cleanups.push(async () => {
      if (child.exitCode !== null) return;
      child.send('close');
      await once(child, 'exit');
    });
    child.send({ url: ticketUrl, poolSize, key, nonceEntries: 2_000_000 });
    const [{ address, bareAddress }] = await once(child, 'message');
    const serviceCpu = {
      start: () => child.send('cpu-start'),
      stop: async () => {
        child.send('cpu-stop');
        const [used] = await once(child, 'message');
        return used;
      },
    };

    const upstream = createServiceClient({
      service: ticketServiceContract.service,
      baseUrl: address,
      production: false,
      signer: createRequestSigner({
        key: createSigningKey({ keyId: key.keyId, alg: 'hmac-sha256', secret: key.secret }),
      }),
      transportOptions: { connections: Math.ceil(concurrency / pipelining), pipelining },
    });
    cleanups.push(() => upstream.close());
    const tickets = createTypedClient(upstream, ticketServiceContract.routes);

    const pool = new pg.Pool({ connectionString: ticketUrl, max: poolSize });
    cleanups.push(() => pool.end());
    // PostgreSQL's own CPU per request (its backends for this database), when the server is local.
    const observer = new pg.Client(scratch.adminUrl);
    await observer.connect();
    cleanups.push(() => observer.end());
    const pgCpu = pgBackendCpu(observer);
    const direct = async (ticketId) => {
      // ticket-handlers.ts's getTicketStatus query itself (a named statement), same pool settings.
      const values = [tenantId, ticketId];
      const query = directUnnamed
        ? { text: TICKET_STATUS_QUERY.text, values }
        : { ...TICKET_STATUS_QUERY, values };
      const row = (await pool.query(query)).rows[0];
      if (!row) throw new Error(`no ticket ${ticketId}`);
      return ticketStatusOf(row);
    };
    const typed = (ticketId) => tickets.getTicketStatus({ params: { ticketId } }, { tenantId });
    // The bare route, called with undici as the typed client's transport is (keep-alive, same
    // connection count and pipelining), without signing or validation.
    const barePool = new Pool(bareAddress, {
      connections: Math.ceil(concurrency / pipelining),
      pipelining,
    });
    cleanups.push(() => barePool.close());
    const bare = async (ticketId) => {
      const { statusCode, body } = await barePool.request({
        method: 'GET',
        path: `/internal/tickets/${ticketId}/status`,
        headers: { 'x-tenant-id': tenantId },
      });
      const answer = await body.json();
      if (statusCode !== 200) throw new Error(`bare route: ${statusCode}`);
      return answer;
    };

    for (const ticketId of [DEMO.tickets.acmeUsed, DEMO.tickets.acmeMinted, ids[ids.length - 1]]) {
      const [a, b, c] = [await typed(ticketId), await direct(ticketId), await bare(ticketId)];
      if (JSON.stringify(a) !== JSON.stringify(b) || JSON.stringify(c) !== JSON.stringify(b)) {
        throw new Error(
          `the two sides disagree on ${ticketId}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
        );
      }
    }

    // `concurrency` loops of sequential reads for `seconds`, cycling through the tickets.
    const measure = (name, read, cpuOfService) => async () => {
      const latencies = [];
      let next = 0;
      cpuOfService?.start();
      await pgCpu.start();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const end = started + seconds * 1000;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < end) {
            const ticketId = ids[next++ % ids.length];
            const t = performance.now();
            await read(ticketId);
            latencies.push(performance.now() - t);
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      const ownCpu = cpuMicrosSince(cpu);
      const { cpuMicros: serviceCpu = 0, systemMicros: serviceSystem = 0 } =
        (await cpuOfService?.stop()) ?? {};
      const postgresCpu = await pgCpu.stop();
      const result = {
        side: name,
        rps: latencies.length / elapsed,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        cpuMicros: (ownCpu + serviceCpu) / latencies.length,
        serviceCpuMicros: serviceCpu / latencies.length,
        serviceSystemMicros: serviceSystem / latencies.length,
        pgCpuMicros: postgresCpu === null ? Number.NaN : postgresCpu / latencies.length,
      };
      console.log(
        JSON.stringify({
          ...result,
          rps: Math.round(result.rps),
          p50: +result.p50.toFixed(2),
          p99: +result.p99.toFixed(2),
          cpuMicros: Math.round(result.cpuMicros),
          serviceCpuMicros: Math.round(result.serviceCpuMicros),
          serviceSystemMicros: Math.round(result.serviceSystemMicros),
          pgCpuMicros: Math.round(result.pgCpuMicros),
        }),
      );
      return result;
    };

    const sides = {
      'typed client -> ticket-service': measure('typed', typed, serviceCpu),
      'pg direct': measure('pg', direct),
    };
    if (withBare) sides['bare Fastify + pg, no auth'] = measure('bare', bare, serviceCpu);
    if (only !== undefined) {
      for (const name of Object.keys(sides)) if (!name.startsWith(only)) delete sides[name];
      const [name] = Object.keys(sides);
      if (name === undefined) throw new Error(`--only ${only}: no such side (typed, pg, bare)`);
      const runs = [];
      for (let round = 0; round <= rounds; round++) runs.push(await sides[name]());
      console.log(`${name}: ${rounds + 1} runs of ${seconds} s, the first a warm-up`);
    } else {
      await report(sides, ids.length);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await scratch.drop(roles);
  }

  /** Runs the sides in rounds and prints the medians and ratios. */
  async function report(sides, ticketCount) {
    const results = await runRounds({
      sides,
      rounds,
      order: withBare ? rotate : alternate,
      warmUp: Object.keys(sides),
    });

    const [typedName, directName, bareName] = Object.keys(results);
    const med = (name, key) => median(results[name].map((r) => r[key]));
    console.log(
      `\n${header(`platform read GET /internal/tickets/:ticketId/status, ${rounds} rounds x ${seconds} s each side, concurrency ${concurrency}, pool ${poolSize}, ${ticketCount} tickets, pg side ${directUnnamed ? 'UNNAMED (not the same read)' : 'same named statement'}, PostgreSQL over ${pgSocket ? 'its Unix socket' : 'TCP loopback'}, HTTP pipelining ${pipelining}`)}`,
    );
    console.log(`load average at start ${loadAtStart}, at end ${loadAverage()}`);
    console.log(
      'side                              req/s   p50 ms   p99 ms   Node CPU µs/req  (service, of it kernel)  PostgreSQL CPU µs/req',
    );
    const micros = (name, key) => Math.round(med(name, key)).toString();
    for (const name of Object.keys(results)) {
      const service = `${micros(name, 'serviceCpuMicros')}, ${micros(name, 'serviceSystemMicros')}`;
      console.log(
        `${name.padEnd(30)} ${formatRate(med(name, 'rps'), 8)} ${med(name, 'p50').toFixed(2).padStart(8)} ${med(name, 'p99').toFixed(2).padStart(8)} ${micros(name, 'cpuMicros').padStart(17)} ${service.padStart(24)} ${micros(name, 'pgCpuMicros').padStart(22)}`,
      );
    }
    const ratio = medianRatio(
      results[typedName].map((r) => r.rps),
      results[directName].map((r) => r.rps),
    );
    console.log(
      `\ntyped / pg direct = ${ratio.toFixed(2)}x req/s (target >= 0.5x), median of per-round ratios`,
    );
    if (bareName) {
      const bareRatio = medianRatio(
        results[bareName].map((r) => r.rps),
        results[directName].map((r) => r.rps),
      );
      const typedOfBare = medianRatio(
        results[typedName].map((r) => r.rps),
        results[bareName].map((r) => r.rps),
      );
      console.log(
        `bare Fastify + pg / pg direct = ${bareRatio.toFixed(2)}x; typed / bare = ${typedOfBare.toFixed(2)}x (what our layers cost over HTTP itself)`,
      );
    }
  }
}
