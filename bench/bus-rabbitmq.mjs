// Publish throughput through @interlink/bus's RabbitMQ transport against bare amqplib with a
// confirm channel, in the same run, on the same exchange and quorum queue.
//
//   npx tsc -b packages/bus && node bench/bus-rabbitmq.mjs
//
// Both sides wait for every publisher confirm with the same number in flight; the bare side sends
// pre-encoded bytes, the bus side builds, validates and encodes each envelope. Rounds alternate
// (rotating which side goes first) and the median per-round ratio is printed, because the machine
// is shared. Bounded: ROUNDS x N events per side; the exchange and queues are deleted afterwards.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const bus_ = await import(new URL('../packages/bus/dist/index.js', import.meta.url).href);
const { createSeedRegistry } = await import(new URL('../packages/bus/dist/presets.js', import.meta.url).href);
const require = createRequire(new URL('../packages/bus/package.json', import.meta.url));
const amqp = await import(require.resolve('amqplib'));

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const N = Number(process.env.BENCH_N ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 128);
const topology = bus_.isolatedRabbitTopology(`bench${randomBytes(4).toString('hex')}`);
const registry = createSeedRegistry();
const data = (i) => ({ orderId: `o-${i}`, reason: 'payment declined' });

// Events per second, and this process's CPU per event (the broker's share is not in it): steadier
// than the rate on a shared machine.
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

const transport = await bus_.createRabbitTransport({ url, topology });
const bus = bus_.createBus({ transport, registry, source: '/bench' });
const conn = await amqp.connect(url, { noDelay: true });
const ch = await conn.createConfirmChannel();
const payloads = Array.from({ length: 100 }, (_, i) =>
  bus_.encodeEvent(bus_.createEvent({ type: 'order.failed', data: data(i) }, { registry, source: '/bench' })),
);
const bare = (i) =>
  new Promise((resolve, reject) =>
    ch.publish(
      topology.exchange,
      'order.failed',
      payloads[i % 100],
      { persistent: true, messageId: randomUUID(), contentType: 'application/cloudevents+json' },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
const sides = {
  bare,
  bus: (i) => bus.publish({ type: 'order.failed', data: data(i) }),
};
const rates = { bare: [], bus: [] };
const cpus = { bare: [], bus: [] };
try {
  await measure(bare);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['bare', 'bus'] : ['bus', 'bare'];
    for (const side of order) {
      const { rate, cpuMicros } = await measure(sides[side]);
      rates[side].push(rate);
      cpus[side].push(cpuMicros);
    }
  }
} finally {
  await transport.close();
  for (const q of topology.queues) {
    await ch.deleteQueue(bus_.queueName(topology, q.group));
    await ch.deleteQueue(bus_.deadLetterQueueName(topology, q.group));
  }
  await ch.deleteExchange(topology.exchange);
  await ch.deleteExchange(topology.deadLetterExchange);
  await conn.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(8);
const ratio = median(rates.bus.map((r, i) => r / rates.bare[i]));
console.log(
  `RabbitMQ publish with confirms: ${ROUNDS} rounds x ${N} events per side, ${WINDOW} in flight (median)`,
);
const cpu = (side) => `${median(cpus[side]).toFixed(1).padStart(5)} µs CPU/event`;
console.log(`  bare amqplib confirm channel   ${fmt(median(rates.bare))} events/s   ${cpu('bare')}`);
console.log(
  `  bus.publish                    ${fmt(median(rates.bus))} events/s   ${cpu('bus')}   ratio ${ratio.toFixed(2)}`,
);
