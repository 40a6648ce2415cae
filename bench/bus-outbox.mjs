// Outbox relay throughput against direct publishing, in the same run, through the same NATS
// JetStream transport.
//
//   npx tsc -b packages/bus && node bench/bus-outbox.mjs
//
// Direct: bus.publishEnvelope with WINDOW in flight. Outbox: the same number of events are written
// to the outbox first (not timed), then one relay drains them (claim with FOR UPDATE SKIP LOCKED,
// publish each aggregate in order, delete confirmed rows, commit) and the drain is timed. Events
// are spread over 100 aggregates. Rounds alternate; the median per-round ratio is printed. Uses its
// own PostgreSQL schema and NATS stream, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { envNumber } from './lib/args.mjs';
import { bus as b, createSeedRegistry, importFromBus } from './lib/bus-packages.mjs';
import { deleteStreams, isolatedStreamNames, natsUrl } from './lib/nats-streams.mjs';
import { formatRate, header, medianRatio } from './lib/report.mjs';
import { runRounds } from './lib/rounds.mjs';
import { median } from './lib/statistics.mjs';
import { inFlight } from './lib/throughput.mjs';

const { default: pg } = await importFromBus('pg');
const { connect } = await importFromBus('@nats-io/transport-node');
const { jetstreamManager } = await importFromBus('@nats-io/jetstream');

const N = envNumber('BENCH_N', 3000);
const ROUNDS = envNumber('BENCH_ROUNDS', 3);
const WINDOW = envNumber('BENCH_WINDOW', 100);
const schema = `bench_outbox_${randomBytes(4).toString('hex')}`;
const names = isolatedStreamNames('bencho');
const registry = createSeedRegistry();
const source = '/bench';
const input = (i) => ({
  type: 'order.failed',
  subject: `o-${i % 100}`,
  sequence: i,
  data: { orderId: `o-${i % 100}`, reason: 'x' },
});

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  max: 4,
});
const nc = await connect({ servers: natsUrl });
const transport = await b.createNatsTransport({ connection: nc, ...names, storage: 'memory' });
const bus = b.createBus({ transport, registry, source });
await b.migrateBus(pool, { schema });
const outbox = b.createOutbox({ registry, source, schema });
const relay = b.createOutboxRelay({ pool, schema, batchSize: 500, publish: (e) => bus.publishEnvelope(e) });

async function direct() {
  const events = Array.from({ length: N }, (_, i) => b.createEvent(input(i), { registry, source }));
  const started = performance.now();
  await inFlight(N, WINDOW, (i) => bus.publishEnvelope(events[i]));
  return N / ((performance.now() - started) / 1000);
}

async function viaOutbox() {
  const client = await pool.connect();
  await client.query('BEGIN');
  for (let i = 0; i < N; i++) await outbox.add(client, input(i));
  await client.query('COMMIT');
  client.release();
  const started = performance.now();
  let published = 0;
  while (published < N) published += await relay.runOnce();
  return N / ((performance.now() - started) / 1000);
}

let rates;
try {
  rates = await runRounds({ sides: { direct, outbox: viaOutbox }, rounds: ROUNDS, warmUp: ['direct'] });
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  const jsm = await jetstreamManager(nc);
  await deleteStreams(jsm, names);
  await transport.close();
  await nc.close();
}

const ratio = medianRatio(rates.outbox, rates.direct);
console.log(
  header(`Outbox relay vs direct publish (NATS): ${ROUNDS} rounds x ${N} events, 100 aggregates (median)`),
);
console.log(`  direct bus.publishEnvelope     ${formatRate(median(rates.direct), 8)} events/s`);
console.log(
  `  outbox relay (batch 500)       ${formatRate(median(rates.outbox), 8)} events/s   ratio ${ratio.toFixed(2)}`,
);
