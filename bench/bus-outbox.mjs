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
import { createRequire } from 'node:module';

const b = await import(new URL('../packages/bus/dist/index.js', import.meta.url).href);
const { createSeedRegistry } = await import(new URL('../packages/bus/dist/presets.js', import.meta.url).href);
const require = createRequire(new URL('../packages/bus/package.json', import.meta.url));
const { default: pg } = await import(require.resolve('pg'));
const { connect } = await import(require.resolve('@nats-io/transport-node'));
const { jetstreamManager } = await import(require.resolve('@nats-io/jetstream'));

const N = Number(process.env.BENCH_N ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 100);
const id = randomBytes(4).toString('hex');
const schema = `bench_outbox_${id}`;
const names = {
  stream: `BENCHO_${id}`,
  subjectPrefix: `bencho_${id}`,
  deadLetterStream: `BENCHO_${id}_DLQ`,
  deadLetterPrefix: `bencho_${id}_dlq`,
};
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
const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
const transport = await b.createNatsTransport({ connection: nc, ...names, storage: 'memory' });
const bus = b.createBus({ transport, registry, source });
await b.migrateBus(pool, { schema });
const outbox = b.createOutbox({ registry, source, schema });
const relay = b.createOutboxRelay({ pool, schema, batchSize: 500, publish: (e) => bus.publishEnvelope(e) });

async function direct() {
  const events = Array.from({ length: N }, (_, i) => b.createEvent(input(i), { registry, source }));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WINDOW }, async () => {
      while (next < N) await bus.publishEnvelope(events[next++]);
    }),
  );
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

const rates = { direct: [], outbox: [] };
try {
  await direct();
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      rates.direct.push(await direct());
      rates.outbox.push(await viaOutbox());
    } else {
      rates.outbox.push(await viaOutbox());
      rates.direct.push(await direct());
    }
  }
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(names.stream).catch(() => {});
  await jsm.streams.delete(names.deadLetterStream).catch(() => {});
  await transport.close();
  await nc.close();
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(8);
const ratio = median(rates.outbox.map((r, i) => r / rates.direct[i]));
console.log(`Outbox relay vs direct publish (NATS): ${ROUNDS} rounds x ${N} events, 100 aggregates (median)`);
console.log(`  direct bus.publishEnvelope     ${fmt(median(rates.direct))} events/s`);
console.log(
  `  outbox relay (batch 500)       ${fmt(median(rates.outbox))} events/s   ratio ${ratio.toFixed(2)}`,
);
