// Publish throughput through @interlink/bus's NATS JetStream transport against the bare
// @nats-io/jetstream client, in the same run, on the same server and stream settings.
//
//   npx tsc -b packages/bus && node bench/bus-nats.mjs
//
// Both sides publish the same number of events with the same number in flight and wait for every
// stream acknowledgement (that is what "published" means for both). The bare side publishes
// pre-encoded bytes; the bus side builds, validates and encodes each envelope, so the ratio is the
// whole cost of the bus. A second line isolates the transport (pre-encoded bytes through it).
// Streams are in-memory so the broker's disk does not hide the client's cost. The machine is
// shared, so the sides alternate in short rounds (rotating which goes first) and the median of the
// per-round ratios is reported. Bounded: ROUNDS x N events per side.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const busUrl = new URL('../packages/bus/dist/index.js', import.meta.url);
const { createBus, createNatsTransport, createEvent, encodeEvent } = await import(busUrl.href);
const { createSeedRegistry } = await import(new URL('../packages/bus/dist/presets.js', import.meta.url).href);
// Resolve the NATS client the way the bus package does, wherever npm placed it.
const require = createRequire(new URL('../packages/bus/package.json', import.meta.url));
const { connect } = await import(require.resolve('@nats-io/transport-node'));
const { jetstream, jetstreamManager } = await import(require.resolve('@nats-io/jetstream'));

const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const N = Number(process.env.BENCH_N ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 256);
const id = randomBytes(4).toString('hex');
const names = {
  stream: `BENCH_${id}`,
  subjectPrefix: `bench_${id}`,
  deadLetterStream: `BENCH_${id}_DLQ`,
  deadLetterPrefix: `bench_${id}_dlq`,
};

const registry = createSeedRegistry();
const data = (i) => ({
  orderId: `o-${i}`,
  userId: 'u-1',
  eventId: 'e-1',
  items: [{ ticketTypeId: 't-1', quantity: 2, unitPriceCents: 1250 }],
  totalCents: 2500,
  currency: 'USD',
});

/**
 * Runs `publish(i)` for i < N with at most WINDOW in flight; returns events per second and this
 * process's CPU per event (steadier than the rate on a shared machine: the broker's share is not in it).
 */
async function measure(publish) {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WINDOW }, async () => {
      while (next < N) await publish(next++);
    }),
  );
  const used = process.cpuUsage(cpu);
  return { rate: N / ((performance.now() - started) / 1000), cpuMicros: (used.user + used.system) / N };
}

// The library's defaults build two Errors with stack traces per publish (for async stack traces);
// `noAsyncTraces: true` skips them and is what the transport sets on its own connection. The bare
// client runs both ways: the tuned one is the fair baseline, the default one is what hand-written
// publishers in the seeds do.
const ncDefault = await connect({ servers });
const nc = await connect({ servers, noAsyncTraces: true });
const jsDefault = jetstream(ncDefault);
const js = jetstream(nc);
const transport = await createNatsTransport({ connection: nc, ...names, storage: 'memory' });
const bus = createBus({ transport, registry, source: '/bench' });
const payloads = Array.from({ length: 1000 }, (_, i) =>
  encodeEvent(
    createEvent(
      { type: 'order.created', data: data(i), subject: `o-${i}`, tenantId: 't1' },
      { registry, source: '/bench' },
    ),
  ),
);

const sides = {
  bare: (i) =>
    js.publish(`${names.subjectPrefix}.t1._.order.created`, payloads[i % 1000], { msgID: randomUUID() }),
  bareDefault: (i) =>
    jsDefault.publish(`${names.subjectPrefix}.t1._.order.created`, payloads[i % 1000], {
      msgID: randomUUID(),
    }),
  bus: (i) => bus.publish({ type: 'order.created', data: data(i), subject: `o-${i}`, tenantId: 't1' }),
  transport: (i) =>
    transport.publish({ id: randomUUID(), topic: 'order.created', tenantId: 't1', body: payloads[i % 1000] }),
};
const rates = { bare: [], bareDefault: [], bus: [], transport: [] };
const cpus = { bare: [], bareDefault: [], bus: [], transport: [] };
try {
  await measure(sides.bare); // warm-up: JIT, connection, stream
  for (let round = 0; round < ROUNDS; round++) {
    const order = Object.keys(sides);
    for (let k = 0; k < round % order.length; k++) order.push(order.shift());
    for (const side of order) {
      const { rate, cpuMicros } = await measure(sides[side]);
      rates[side].push(rate);
      cpus[side].push(cpuMicros);
    }
  }
} finally {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(names.stream).catch(() => {});
  await jsm.streams.delete(names.deadLetterStream).catch(() => {});
  await transport.close();
  await nc.close();
  await ncDefault.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (side) => median(rates[side].map((r, i) => r / rates.bare[i]));
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(8);
const cpu = (side) => `${median(cpus[side]).toFixed(1).padStart(5)} µs CPU/event`;
console.log(`NATS JetStream publish: ${ROUNDS} rounds x ${N} events per side, ${WINDOW} in flight (median)`);
console.log(
  `  bare @nats-io/jetstream        ${fmt(median(rates.bare))} events/s   ${cpu('bare')}   (noAsyncTraces: the baseline)`,
);
console.log(
  `  bare, library defaults         ${fmt(median(rates.bareDefault))} events/s   ${cpu('bareDefault')}   ratio ${ratio('bareDefault').toFixed(2)}`,
);
console.log(
  `  bus.publish (validate+encode)  ${fmt(median(rates.bus))} events/s   ${cpu('bus')}   ratio ${ratio('bus').toFixed(2)}`,
);
console.log(
  `  transport.publish (bytes)      ${fmt(median(rates.transport))} events/s   ${cpu('transport')}   ratio ${ratio('transport').toFixed(2)}`,
);
