// Publish throughput through @interlink/bus's RabbitMQ transport against bare amqplib with a
// confirm channel, in the same run, on the same exchange and quorum queue.
//
//   npx tsc -b packages/bus && node bench/bus-rabbitmq.mjs
//
// Both sides wait for every publisher confirm with the same number in flight; the bare side sends
// pre-encoded bytes, the bus side builds, validates and encodes each envelope. Rounds alternate
// (rotating which side goes first) and the median per-round ratio is printed, because the machine
// is shared. Bounded: ROUNDS x N events per side; the exchange and queues are deleted afterwards.
import { randomBytes } from 'node:crypto';
import { envNumber } from './lib/args.mjs';
import { bus as bus_, createSeedRegistry, importFromBus } from './lib/bus-packages.mjs';
import { deleteTopology, publishConfirmed, amqpUrl as url } from './lib/rabbit-topology.mjs';
import { cpuCell, formatRate, header, medianRatio } from './lib/report.mjs';
import { runRounds } from './lib/rounds.mjs';
import { median } from './lib/statistics.mjs';
import { measureThroughput } from './lib/throughput.mjs';

const amqp = await importFromBus('amqplib');

const N = envNumber('BENCH_N', 3000);
const ROUNDS = envNumber('BENCH_ROUNDS', 5);
const WINDOW = envNumber('BENCH_WINDOW', 128);
const topology = bus_.isolatedRabbitTopology(`bench${randomBytes(4).toString('hex')}`);
const registry = createSeedRegistry();
const data = (i) => ({ orderId: `o-${i}`, reason: 'payment declined' });

const transport = await bus_.createRabbitTransport({ url, topology });
const bus = bus_.createBus({ transport, registry, source: '/bench' });
const conn = await amqp.connect(url, { noDelay: true });
const ch = await conn.createConfirmChannel();
const payloads = Array.from({ length: 100 }, (_, i) =>
  bus_.encodeEvent(bus_.createEvent({ type: 'order.failed', data: data(i) }, { registry, source: '/bench' })),
);
const publishes = {
  bare: (i) => publishConfirmed(ch, topology.exchange, 'order.failed', payloads[i % 100]),
  bus: (i) => bus.publish({ type: 'order.failed', data: data(i) }),
};
let results;
try {
  results = await runRounds({
    sides: {
      bare: () => measureThroughput(N, WINDOW, publishes.bare),
      bus: () => measureThroughput(N, WINDOW, publishes.bus),
    },
    rounds: ROUNDS,
    warmUp: ['bare'],
  });
} finally {
  await transport.close();
  await deleteTopology(ch, topology, { groups: topology.queues.map((q) => q.group) });
  await conn.close();
}

const rates = (side) => results[side].map((r) => r.rate);
const ratio = medianRatio(rates('bus'), rates('bare'));
console.log(
  header(
    `RabbitMQ publish with confirms: ${ROUNDS} rounds x ${N} events per side, ${WINDOW} in flight (median)`,
  ),
);
const cpu = (side) => cpuCell(results[side].map((r) => r.cpuMicros));
const fmt = (side) => formatRate(median(rates(side)), 8);
console.log(`  bare amqplib confirm channel   ${fmt('bare')} events/s   ${cpu('bare')}`);
console.log(
  `  bus.publish                    ${fmt('bus')} events/s   ${cpu('bus')}   ratio ${ratio.toFixed(2)}`,
);
