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
import { randomBytes } from 'node:crypto';
import { envNumber } from './lib/args.mjs';
import { bus as b, createSeedRegistry, importFromBus } from './lib/bus-packages.mjs';
import * as e2e from './lib/publish-consume.mjs';
import { deleteTopology, publishConfirmed, amqpUrl as url } from './lib/rabbit-topology.mjs';
import { runRounds } from './lib/rounds.mjs';

const amqp = await importFromBus('amqplib');

const N = envNumber('BENCH_N', 2000);
const ROUNDS = envNumber('BENCH_ROUNDS', 3);
const WINDOW = envNumber('BENCH_WINDOW', 128);
const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 64);
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

const payload = e2e.orderFailedJson({ registry, source: '/bench' }, b);
const bareReceiver = e2e.createReceiver();
await sub.consume(bareQueue, (m) => {
  if (!m) return; // cancelled when the queue is deleted at the end
  bareReceiver.onEvent(JSON.parse(m.content.toString()).data.orderId);
  sub.ack(m);
});
const bare = (key) => publishConfirmed(pub, topology.exchange, 'bare.failed', Buffer.from(payload(key)));
const busBench = await e2e.busSide(bus, CONCURRENCY);

const round = (publish, receiver) => () => e2e.measureRound({ n: N, window: WINDOW, publish, receiver });
let results;
try {
  results = await runRounds({
    sides: { bare: round(bare, bareReceiver), bus: round(busBench.publish, busBench.receiver) },
    rounds: ROUNDS,
    warmUp: ['bare', 'bus'],
  });
} finally {
  await transport.close();
  await deleteTopology(sub, topology, { queues: [bareQueue], groups: ['bench'] });
  await conn.close();
}

e2e.printPublishConsume(
  `RabbitMQ publish -> consume: ${ROUNDS} rounds x ${N} events, ${WINDOW} in flight, prefetch ${CONCURRENCY} (median)`,
  'bare amqplib',
  results,
);
