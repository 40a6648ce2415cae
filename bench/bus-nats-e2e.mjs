// End-to-end throughput and latency (publish -> handler) through @interlink/bus on NATS JetStream
// against the bare @nats-io/jetstream client (durable pull consumer, explicit ack), same run.
//
//   npx tsc -b packages/bus && node bench/bus-nats-e2e.mjs
//
// Each side publishes N events with WINDOW publishes in flight while one consumer (CONCURRENCY
// handlers / messages pulled at once) acknowledges them; latency is from just before publish to
// the start of the handler. Both send the same CloudEvents JSON; the bus side also decodes, upcasts, validates and restores the request
// context for every event. Rounds alternate; medians are printed. Bounded: ROUNDS x N per side.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const b = await import(new URL('../packages/bus/dist/index.js', import.meta.url).href);
const { createSeedRegistry } = await import(new URL('../packages/bus/dist/presets.js', import.meta.url).href);
const require = createRequire(new URL('../packages/bus/package.json', import.meta.url));
const { connect } = await import(require.resolve('@nats-io/transport-node'));
const { jetstream, jetstreamManager, AckPolicy, DeliverPolicy } = await import(
  require.resolve('@nats-io/jetstream')
);

const N = Number(process.env.BENCH_N ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 128);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const id = randomBytes(4).toString('hex');
const names = {
  stream: `BENCHE_${id}`,
  subjectPrefix: `benche_${id}`,
  deadLetterStream: `BENCHE_${id}_DLQ`,
  deadLetterPrefix: `benche_${id}_dlq`,
};
const registry = createSeedRegistry();
// One connection for both sides, opened as the transport opens its own (see bench/bus-nats.mjs).
const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', noAsyncTraces: true });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
const transport = await b.createNatsTransport({ connection: nc, ...names, storage: 'memory' });
const bus = b.createBus({ transport, registry, source: '/bench' });

function percentile(xs, p) {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Publishes N events with `publish(i, sentAt)` and resolves when `received` has N entries. */
async function run(publish, received) {
  const sent = new Map();
  let next = 0;
  const started = performance.now();
  let done;
  const all = new Promise((resolve) => {
    done = resolve;
  });
  received.onEvent = (key) => {
    received.latencies.push(performance.now() - sent.get(key));
    if (received.latencies.length === N) done();
  };
  await Promise.all(
    Array.from({ length: WINDOW }, async () => {
      while (next < N) {
        const i = next++;
        const key = `${received.round}-${i}`;
        sent.set(key, performance.now());
        await publish(i, key);
      }
    }),
  );
  await all;
  const seconds = (performance.now() - started) / 1000;
  const result = {
    rate: N / seconds,
    p50: percentile(received.latencies, 50),
    p99: percentile(received.latencies, 99),
  };
  received.latencies = [];
  received.round++;
  return result;
}

// Bare: a durable pull consumer with explicit ack, CONCURRENCY messages pulled at a time. Both
// sides share one stream, so each consumer skips the other side's messages; the bare side uses
// subjects of the bus's shape and a wildcard filter like the bus's (`<prefix>.*.*.order.*`), so
// the server's filtering work is the same for both (a literal filter is cheaper for the server to
// match and would flatter the baseline).
const bareSubject = `${names.subjectPrefix}._._.bare.failed`;
await jsm.consumers.add(names.stream, {
  durable_name: 'bare',
  ack_policy: AckPolicy.Explicit,
  filter_subject: `${names.subjectPrefix}.*.*.bare.*`,
  deliver_policy: DeliverPolicy.New,
});
const bareState = { latencies: [], round: 0, onEvent: () => {} };
const bareMessages = await (await js.consumers.get(names.stream, 'bare')).consume({
  max_messages: CONCURRENCY,
});
void (async () => {
  for await (const m of bareMessages) {
    bareState.onEvent(JSON.parse(m.string()).data.orderId);
    m.ack();
  }
})();
// The bare side sends the same CloudEvents JSON the bus sends (same size on the wire), built by
// hand without validation.
const template = b.createEvent(
  { type: 'order.failed', data: { orderId: 'o', reason: 'x' } },
  { registry, source: '/bench' },
);
const payload = (key) =>
  JSON.stringify({
    ...template,
    id: randomUUID(),
    time: new Date().toISOString(),
    data: { orderId: key, reason: 'x' },
  });

// Bus: the same work through bus.subscribe; the key travels in the order id.
const busState = { latencies: [], round: 0, onEvent: () => {} };
const sub = await bus.subscribe('order.*', async (event) => busState.onEvent(event.data.orderId), {
  group: 'bench',
  concurrency: CONCURRENCY,
});

const sides = {
  bare: () => run((_i, key) => js.publish(bareSubject, payload(key), { msgID: randomUUID() }), bareState),
  bus: () =>
    run((_i, key) => bus.publish({ type: 'order.failed', data: { orderId: key, reason: 'x' } }), busState),
};
const results = { bare: [], bus: [] };
try {
  await sides.bare();
  await sides.bus();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['bare', 'bus'] : ['bus', 'bare'];
    for (const side of order) results[side].push(await sides[side]());
  }
} finally {
  await sub.close();
  bareMessages.stop();
  await jsm.streams.delete(names.stream).catch(() => {});
  await jsm.streams.delete(names.deadLetterStream).catch(() => {});
  await transport.close();
  await nc.close();
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const pick = (side, k) => median(results[side].map((r) => r[k]));
const ratio = median(results.bus.map((r, i) => r.rate / results.bare[i].rate));
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(7);
console.log(
  `NATS JetStream publish -> consume: ${ROUNDS} rounds x ${N} events, ${WINDOW} in flight, ${CONCURRENCY} handlers (median)`,
);
for (const side of ['bare', 'bus']) {
  const label = side === 'bare' ? 'bare @nats-io/jetstream' : 'bus publish + subscribe';
  console.log(
    `  ${label.padEnd(26)} ${fmt(pick(side, 'rate'))} events/s   p50 ${pick(side, 'p50').toFixed(1)} ms   p99 ${pick(side, 'p99').toFixed(1)} ms`,
  );
}
console.log(`  throughput ratio bus/bare ${ratio.toFixed(2)}`);
