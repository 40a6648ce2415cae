// End-to-end throughput and latency (publish -> handler) through @interlink/bus on RabbitMQ
// against bare amqplib (confirm channel to publish, a consumer with prefetch and manual ack on its
// own quorum queue), same run, same exchange.
//
//   npx tsc -b packages/bus && node bench/bus-rabbitmq-e2e.mjs
//
// Both sides send the same CloudEvents JSON with WINDOW publishes in flight, each waiting for its
// confirm, while one consumer (prefetch CONCURRENCY) acknowledges; latency is from just before
// publish to the start of the handler. Rounds alternate; medians are printed. Bounded: ROUNDS x N
// per side; every exchange and queue is deleted afterwards.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const b = await import(new URL('../packages/bus/dist/index.js', import.meta.url).href);
const { createSeedRegistry } = await import(new URL('../packages/bus/dist/presets.js', import.meta.url).href);
const require = createRequire(new URL('../packages/bus/package.json', import.meta.url));
const amqp = await import(require.resolve('amqplib'));

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const N = Number(process.env.BENCH_N ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 128);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
// No seed queues: only the two measured queues receive messages.
const topology = { ...b.isolatedRabbitTopology(`benche${randomBytes(4).toString('hex')}`), queues: [] };
const registry = createSeedRegistry();
const transport = await b.createRabbitTransport({ url, topology });
const bus = b.createBus({ transport, registry, source: '/bench' });
const conn = await amqp.connect(url, { noDelay: true });
const pub = await conn.createConfirmChannel();
const sub = await conn.createChannel();
const bareQueue = `bare${topology.queueSuffix}`;
await sub.assertQueue(bareQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
await sub.bindQueue(bareQueue, topology.exchange, 'bare.*');
await sub.prefetch(CONCURRENCY);

function percentile(xs, p) {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(publish, state) {
  const sent = new Map();
  let next = 0;
  let done;
  const all = new Promise((resolve) => {
    done = resolve;
  });
  state.onEvent = (key) => {
    state.latencies.push(performance.now() - sent.get(key));
    if (state.latencies.length === N) done();
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WINDOW }, async () => {
      while (next < N) {
        const key = `${state.round}-${next++}`;
        sent.set(key, performance.now());
        await publish(key);
      }
    }),
  );
  await all;
  const result = {
    rate: N / ((performance.now() - started) / 1000),
    p50: percentile(state.latencies, 50),
    p99: percentile(state.latencies, 99),
  };
  state.latencies = [];
  state.round++;
  return result;
}

const template = b.createEvent(
  { type: 'order.failed', data: { orderId: 'o', reason: 'x' } },
  { registry, source: '/bench' },
);
const bareState = { latencies: [], round: 0, onEvent: () => {} };
await sub.consume(bareQueue, (m) => {
  if (!m) return; // cancelled when the queue is deleted at the end
  bareState.onEvent(JSON.parse(m.content.toString()).data.orderId);
  sub.ack(m);
});
const bare = (key) =>
  new Promise((resolve, reject) =>
    pub.publish(
      topology.exchange,
      'bare.failed',
      Buffer.from(
        JSON.stringify({
          ...template,
          id: randomUUID(),
          time: new Date().toISOString(),
          data: { orderId: key, reason: 'x' },
        }),
      ),
      { persistent: true, messageId: randomUUID(), contentType: 'application/cloudevents+json' },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
const busState = { latencies: [], round: 0, onEvent: () => {} };
await bus.subscribe('order.*', async (event) => busState.onEvent(event.data.orderId), {
  group: 'bench',
  concurrency: CONCURRENCY,
});
const sides = {
  bare: () => run(bare, bareState),
  bus: () =>
    run((key) => bus.publish({ type: 'order.failed', data: { orderId: key, reason: 'x' } }), busState),
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
  await transport.close();
  await sub.deleteQueue(bareQueue);
  await sub.deleteQueue(b.queueName(topology, 'bench'));
  await sub.deleteQueue(b.deadLetterQueueName(topology, 'bench'));
  await sub.deleteExchange(topology.exchange);
  await sub.deleteExchange(topology.deadLetterExchange);
  await conn.close();
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const pick = (side, k) => median(results[side].map((r) => r[k]));
const ratio = median(results.bus.map((r, i) => r.rate / results.bare[i].rate));
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(7);
console.log(
  `RabbitMQ publish -> consume: ${ROUNDS} rounds x ${N} events, ${WINDOW} in flight, prefetch ${CONCURRENCY} (median)`,
);
for (const side of ['bare', 'bus']) {
  const label = side === 'bare' ? 'bare amqplib' : 'bus publish + subscribe';
  console.log(
    `  ${label.padEnd(26)} ${fmt(pick(side, 'rate'))} events/s   p50 ${pick(side, 'p50').toFixed(1)} ms   p99 ${pick(side, 'p99').toFixed(1)} ms`,
  );
}
console.log(`  throughput ratio bus/bare ${ratio.toFixed(2)}`);
