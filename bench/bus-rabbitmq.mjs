// Publish throughput through @interlink/bus's RabbitMQ transport against bare amqplib with a
// confirm channel, in the same run, on the same exchange and quorum queue.
//
//   npx tsc -b packages/bus && node bench/bus-rabbitmq.mjs
//
// Both sides wait for every publisher confirm with the same number in flight; the bare side sends
// pre-encoded bytes, the bus side builds, validates and encodes each envelope. Rounds rotate
// which side goes first and the median per-round ratio is printed, because the machine
// is shared. Bounded: ROUNDS x N events per side; the exchange and queues are deleted afterwards.
// A third side publishes in CloudEvents binary content mode (`binaryCodec`: the attributes as
// `cloudEvents:*` application properties, the data alone in the body), same run, same baseline.
import { randomBytes } from 'node:crypto';
import { envNumber } from './lib/args.mjs';
import { bus as bus_, createSeedRegistry, importFromBus } from './lib/bus-packages.mjs';
import { deleteTopology, publishConfirmed, amqpUrl as url } from './lib/rabbit-topology.mjs';
import { cpuCell, formatRate, header, medianRatio } from './lib/report.mjs';
import { rotate, runRounds } from './lib/rounds.mjs';
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
const busBinary = bus_.createBus({ transport, registry, source: '/bench', codec: bus_.binaryCodec });
const conn = await amqp.connect(url, { noDelay: true });
const ch = await conn.createConfirmChannel();
const payloads = Array.from({ length: 100 }, (_, i) =>
  bus_.encodeEvent(bus_.createEvent({ type: 'order.failed', data: data(i) }, { registry, source: '/bench' })),
);
// The same events in binary mode as raw amqplib would send them: attributes as headers, data alone.
const binaryMessages = Array.from({ length: 100 }, (_, i) =>
  bus_.binaryCodec.encode(
    bus_.createEvent({ type: 'order.failed', data: data(i) }, { registry, source: '/bench' }),
    {
      transport: 'rabbitmq',
      maxBytes: 1 << 20,
    },
  ),
);
const publishBinaryRaw = (i) => {
  const { body, headers } = binaryMessages[i % 100];
  const { 'content-type': contentType, ...properties } = headers;
  return new Promise((resolve, reject) =>
    ch.publish(
      topology.exchange,
      'order.failed',
      body,
      { persistent: true, messageId: properties['cloudEvents:id'], contentType, headers: properties },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
};
const publishes = {
  bare: (i) => publishConfirmed(ch, topology.exchange, 'order.failed', payloads[i % 100]),
  bus: (i) => bus.publish({ type: 'order.failed', data: data(i) }),
  binary: (i) => busBinary.publish({ type: 'order.failed', data: data(i) }),
};
let results;
try {
  results = await runRounds({
    sides: {
      bare: () => measureThroughput(N, WINDOW, publishes.bare),
      bus: () => measureThroughput(N, WINDOW, publishes.bus),
      binary: () => measureThroughput(N, WINDOW, publishes.binary),
      bareBinary: () => measureThroughput(N, WINDOW, publishBinaryRaw),
    },
    rounds: ROUNDS,
    order: rotate,
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
const binaryRatio = medianRatio(rates('binary'), rates('bare'));
const binaryVsStructured = medianRatio(rates('binary'), rates('bus'));
console.log(
  `  bus.publish, binary mode       ${fmt('binary')} events/s   ${cpu('binary')}   ratio ${binaryRatio.toFixed(2)}   (binary / structured ${binaryVsStructured.toFixed(2)})`,
);
console.log(
  `  bare amqplib, binary headers   ${fmt('bareBinary')} events/s   ${cpu('bareBinary')}   ratio ${medianRatio(rates('bareBinary'), rates('bare')).toFixed(2)}   (bus binary / this ${medianRatio(rates('binary'), rates('bareBinary')).toFixed(2)})`,
);
