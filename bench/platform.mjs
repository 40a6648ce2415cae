#!/usr/bin/env node
// A signed internal read through the typed client (RFC 9421 signing and verification, nonce claim,
// permission and tenant checks, contract validation on both sides, one indexed PostgreSQL read)
// against the same read issued directly with `pg` as ticket-service's role, in the same run.
// Issue 17 asks for >= 0.5x the direct read's throughput, with p99 of both.
//
//   npx tsc -b apps/platform && node bench/platform.mjs [--rounds 6] [--slice-ms 1000] [--concurrency 16]
//
// Needs the PostgreSQL at 127.0.0.1:5432 (DATABASE_URL): the bench makes its own database with the
// five services' schemas and roles and drops it at the end. The five services run in this process
// (as `npm start` runs them), so client and server share the CPU; the direct side is one pg pool of
// the same size as the service's (5). Sides alternate in rounds (ABBA); figures are medians.
import pg from 'pg';
import { createServiceClient, createTypedClient } from '../packages/client/dist/index.js';
import { ticketServiceContract } from '../packages/contracts/dist/index.js';
import { numberArg } from './lib/args.mjs';
import { header, medianRatio } from './lib/report.mjs';
import { runRounds } from './lib/rounds.mjs';
import { median, percentile } from './lib/statistics.mjs';

const platform = (path) => import(new URL(`../apps/platform/dist/${path}`, import.meta.url).href);
const { DEMO, preparePlatformDatabases } = await platform('db/index.js');
const { createScratchDatabase } = await platform('db/scratch-database.js');
const { DATA_SERVICES } = await platform('db/service-names.js');
const { createDevKeyring } = await platform('service/dev-keyring.js');
const { startPlatformServices } = await platform('platform/start-platform-services.js');

const rounds = numberArg('rounds', 6);
const sliceMs = numberArg('slice-ms', 1000);
const concurrency = numberArg('concurrency', 16);
const server = process.env.DATABASE_URL ?? 'postgres://postgres:test@127.0.0.1:5432/test';

const scratch = await createScratchDatabase(server);
const roles = DATA_SERVICES.map((service) => `${service}_${scratch.suffix}_svc`);
try {
  const databases = await preparePlatformDatabases({
    adminUrl: scratch.adminUrl,
    suffix: scratch.suffix,
    demoData: true,
  });
  const keys = createDevKeyring(undefined, { production: false });
  const services = await startPlatformServices({
    databases,
    keyring: keys.keyring,
    signerFor: keys.signerFor,
    logLevel: 'warn',
  });
  const upstream = createServiceClient({
    service: 'ticket-service',
    baseUrl: services.urls.ticket,
    signer: keys.signerFor('payment-service'),
    retry: false,
  });
  const tickets = createTypedClient(upstream, ticketServiceContract.routes);
  const direct = new pg.Pool({ connectionString: databases.ticket.url, max: 5 });
  const tenant = { tenantId: DEMO.tenants.acme };
  const ticketId = DEMO.tickets.acmeMinted;
  // The handler's query, so both sides read the same row through the same index.
  const sql = `SELECT t.id, t.status, t.user_id, t.event_id,
      (t.user_id <> t.original_user_id OR t.status = 'transferred'
       OR EXISTS (SELECT 1 FROM transfers x WHERE x.tenant_id = t.tenant_id AND x.ticket_id = t.id)) AS moved
    FROM tickets t WHERE t.tenant_id = $1 AND t.id = $2`;

  const calls = {
    typed: () => tickets.getTicketStatus({ params: { ticketId } }, tenant),
    direct: () => direct.query(sql, [tenant.tenantId, ticketId]),
  };

  /** `concurrency` loops of sequential calls for one slice: requests per second and every latency. */
  async function slice(call) {
    const latencies = [];
    const end = performance.now() + sliceMs;
    const loop = async () => {
      while (performance.now() < end) {
        const start = performance.now();
        await call();
        latencies.push(performance.now() - start);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, loop));
    return { rate: latencies.length / ((performance.now() - started) / 1000), latencies };
  }

  const results = await runRounds({
    sides: { typed: () => slice(calls.typed), direct: () => slice(calls.direct) },
    rounds,
    warmUp: ['typed', 'direct'],
  });
  const rate = (side) => results[side].map((r) => r.rate);
  const p99 = (side) => median(results[side].map((r) => percentile(r.latencies, 99)));
  console.log(
    header(`platform: ticket status, ${rounds} rounds of ${sliceMs} ms, concurrency ${concurrency}`),
  );
  for (const side of ['typed', 'direct']) {
    console.log(
      `${side.padEnd(7)} ${Math.round(median(rate(side)))
        .toLocaleString('en-US')
        .padStart(8)} req/s  p99 ${p99(side).toFixed(2)} ms`,
    );
  }
  const ratio = medianRatio(rate('typed'), rate('direct'));
  console.log(`typed / direct: ${ratio.toFixed(3)} (target >= 0.5)`);

  await upstream.close();
  await direct.end();
  await services.close();
} finally {
  await scratch.drop(roles);
}
