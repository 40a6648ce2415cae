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
// per-round ratios is reported. Bounded: ROUNDS x N events per side. `bus binary` publishes in
// CloudEvents binary content mode (`binaryCodec`: `ce-*` headers, the data alone in the body).
import { randomUUID } from 'node:crypto';
import { envNumber } from './lib/args.mjs';
import { bus as b, createSeedRegistry, importFromBus } from './lib/bus-packages.mjs';
import { deleteStreams, isolatedStreamNames, natsUrl as servers } from './lib/nats-streams.mjs';
import { cpuCell, formatRate, header, medianRatio } from './lib/report.mjs';
import { rotate, runRounds } from './lib/rounds.mjs';
import { median } from './lib/statistics.mjs';
import { measureThroughput } from './lib/throughput.mjs';

const { createBus, createNatsTransport, createEvent, encodeEvent } = b;
const { connect } = await importFromBus('@nats-io/transport-node');
const { jetstream, jetstreamManager } = await importFromBus('@nats-io/jetstream');

const N = envNumber('BENCH_N', 5000);
const ROUNDS = envNumber('BENCH_ROUNDS', 7);
const WINDOW = envNumber('BENCH_WINDOW', 256);
const names = isolatedStreamNames('bench');

const registry = createSeedRegistry();
const data = (i) => ({
  orderId: `o-${i}`,
  userId: 'u-1',
  eventId: 'e-1',
  items: [{ ticketTypeId: 't-1', quantity: 2, unitPriceCents: 1250 }],
  totalCents: 2500,
  currency: 'USD',
});

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
const busBinary = createBus({ transport, registry, source: '/bench', codec: b.binaryCodec });
const payloads = Array.from({ length: 1000 }, (_, i) =>
  encodeEvent(
    createEvent(
      { type: 'order.created', data: data(i), subject: `o-${i}`, tenantId: 't1' },
      { registry, source: '/bench' },
    ),
  ),
);

const publishes = {
  bare: (i) =>
    js.publish(`${names.subjectPrefix}.t1._.order.created`, payloads[i % 1000], { msgID: randomUUID() }),
  bareDefault: (i) =>
    jsDefault.publish(`${names.subjectPrefix}.t1._.order.created`, payloads[i % 1000], {
      msgID: randomUUID(),
    }),
  bus: (i) => bus.publish({ type: 'order.created', data: data(i), subject: `o-${i}`, tenantId: 't1' }),
  busBinary: (i) =>
    busBinary.publish({ type: 'order.created', data: data(i), subject: `o-${i}`, tenantId: 't1' }),
  transport: (i) =>
    transport.publish({ id: randomUUID(), topic: 'order.created', tenantId: 't1', body: payloads[i % 1000] }),
};
const sides = Object.fromEntries(
  Object.entries(publishes).map(([side, publish]) => [side, () => measureThroughput(N, WINDOW, publish)]),
);
let results;
try {
  // Warm-up: JIT, connection, stream.
  results = await runRounds({ sides, rounds: ROUNDS, order: rotate, warmUp: ['bare'] });
} finally {
  const jsm = await jetstreamManager(nc);
  await deleteStreams(jsm, names);
  await transport.close();
  await nc.close();
  await ncDefault.close();
}

const rates = (side) => results[side].map((r) => r.rate);
const ratio = (side) => medianRatio(rates(side), rates('bare'));
const fmt = (side) => formatRate(median(rates(side)), 8);
const cpu = (side) => cpuCell(results[side].map((r) => r.cpuMicros));
console.log(
  header(`NATS JetStream publish: ${ROUNDS} rounds x ${N} events per side, ${WINDOW} in flight (median)`),
);
console.log(
  `  bare @nats-io/jetstream        ${fmt('bare')} events/s   ${cpu('bare')}   (noAsyncTraces: the baseline)`,
);
console.log(
  `  bare, library defaults         ${fmt('bareDefault')} events/s   ${cpu('bareDefault')}   ratio ${ratio('bareDefault').toFixed(2)}`,
);
console.log(
  `  bus.publish (validate+encode)  ${fmt('bus')} events/s   ${cpu('bus')}   ratio ${ratio('bus').toFixed(2)}`,
);
console.log(
  `  bus.publish, binary mode       ${fmt('busBinary')} events/s   ${cpu('busBinary')}   ratio ${ratio('busBinary').toFixed(2)}   (binary / structured ${medianRatio(rates('busBinary'), rates('bus')).toFixed(2)})`,
);
console.log(
  `  transport.publish (bytes)      ${fmt('transport')} events/s   ${cpu('transport')}   ratio ${ratio('transport').toFixed(2)}`,
);
