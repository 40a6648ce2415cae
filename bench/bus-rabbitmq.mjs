// Publish throughput through @interlink/bus's RabbitMQ transport against bare amqplib with a
// confirm channel, in the same run, on the same exchange and quorum queue.
//
//   npx tsc -b packages/bus && node bench/bus-rabbitmq.mjs
//
// Both sides wait for every publisher confirm with the same number in flight and the same publish
// properties (persistent, mandatory, message id, content type, type); the bare side sends
// pre-encoded bytes, the bus side builds, validates and encodes each envelope. Rounds rotate
// which side goes first and the median per-round ratio is printed, because the machine
// is shared. Bounded: ROUNDS x N events per side; the exchange and queues are deleted afterwards.
// Binary content mode (`binaryCodec`: the attributes as `cloudEvents:*` application properties,
// the data alone in the body) is measured in the same run against bare amqplib sending the same
// binary-mode message, header table included.
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

// The same events in binary mode as raw amqplib sends them: attributes as application properties,
// the data alone in the body, the bus's publish properties. Each publish builds its header table
// as a literal (a publisher cannot reuse one: the id and time change with every event); only the
// per-event values and the body are made beforehand. Checked against the codec's own output below,
// so both sides send the same message.
const binaryEvents = Array.from({ length: 100 }, (_, i) => {
  const event = bus_.createEvent({ type: 'order.failed', data: data(i) }, { registry, source: '/bench' });
  return { event, ...bus_.binaryCodec.encode(event, { transport: 'rabbitmq', maxBytes: 1 << 20 }) };
});
const rawBinaryHeaders = (event) => ({
  'cloudEvents:specversion': '1.0',
  'cloudEvents:id': event.id,
  'cloudEvents:source': '/bench',
  'cloudEvents:type': 'order.failed',
  'cloudEvents:time': event.time,
  'cloudEvents:dataversion': '1',
});
{
  const { event, headers, contentType } = binaryEvents[0];
  const same = JSON.stringify(headers) === JSON.stringify(rawBinaryHeaders(event));
  if (!same || contentType !== 'application/json') {
    throw new Error(`The raw binary side no longer sends the codec's headers: ${JSON.stringify(headers)}`);
  }
}
const transport = await bus_.createRabbitTransport({ url, topology });
const bus = bus_.createBus({ transport, registry, source: '/bench' });
const busBinary = bus_.createBus({ transport, registry, source: '/bench', codec: bus_.binaryCodec });
const conn = await amqp.connect(url, { noDelay: true });
const ch = await conn.createConfirmChannel();
const payloads = Array.from({ length: 100 }, (_, i) =>
  bus_.encodeEvent(bus_.createEvent({ type: 'order.failed', data: data(i) }, { registry, source: '/bench' })),
);
const publishBinaryRaw = (i) => {
  const { event, body } = binaryEvents[i % 100];
  return new Promise((resolve, reject) =>
    ch.publish(
      topology.exchange,
      'order.failed',
      body,
      {
        persistent: true,
        mandatory: true,
        messageId: event.id,
        contentType: 'application/json',
        type: 'order.failed',
        headers: rawBinaryHeaders(event),
      },
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
const ratio = (side, baseline) => medianRatio(rates(side), rates(baseline)).toFixed(2);
console.log(
  header(
    `RabbitMQ publish with confirms: ${ROUNDS} rounds x ${N} events per side, ${WINDOW} in flight (median)`,
  ),
);
const cpu = (side) => cpuCell(results[side].map((r) => r.cpuMicros));
const fmt = (side) => formatRate(median(rates(side)), 8);
// Each mode against bare amqplib sending the same message: the ratio is what the bus's own layer
// costs. The last column of binary mode compares it with bare amqplib without a header table.
console.log(`  bare amqplib, structured       ${fmt('bare')} events/s   ${cpu('bare')}`);
console.log(
  `  bus.publish, structured        ${fmt('bus')} events/s   ${cpu('bus')}   ratio ${ratio('bus', 'bare')}`,
);
console.log(
  `  bare amqplib, binary headers   ${fmt('bareBinary')} events/s   ${cpu('bareBinary')}   (/ bare structured ${ratio('bareBinary', 'bare')})`,
);
console.log(
  `  bus.publish, binary mode       ${fmt('binary')} events/s   ${cpu('binary')}   ratio ${ratio('binary', 'bareBinary')}   (binary / structured ${ratio('binary', 'bus')}; / bare structured ${ratio('binary', 'bare')})`,
);
