// End-to-end throughput and latency (publish -> handler) through @interlink/bus on NATS JetStream
// against the bare @nats-io/jetstream client (durable pull consumer, explicit ack), same run.
//
//   npx tsc -b packages/bus && node bench/bus-nats-e2e.mjs
//
// Each side publishes N events with WINDOW publishes in flight while one consumer (CONCURRENCY
// handlers / messages pulled at once) acknowledges them; latency is from just before publish to
// the start of the handler. Both send the same CloudEvents JSON; the bus side also decodes, upcasts, validates and restores the request
// context for every event. Rounds alternate; medians are printed. Bounded: ROUNDS x N per side.
import { randomUUID } from 'node:crypto';
import { envNumber } from './lib/args.mjs';
import { bus as b, createSeedRegistry, importFromBus } from './lib/bus-packages.mjs';
import { deleteStreams, isolatedStreamNames, natsUrl } from './lib/nats-streams.mjs';
import * as e2e from './lib/publish-consume.mjs';
import { runRounds } from './lib/rounds.mjs';

const { connect } = await importFromBus('@nats-io/transport-node');
const { jetstream, jetstreamManager, AckPolicy, DeliverPolicy } = await importFromBus('@nats-io/jetstream');

const N = envNumber('BENCH_N', 3000);
const ROUNDS = envNumber('BENCH_ROUNDS', 3);
const WINDOW = envNumber('BENCH_WINDOW', 128);
const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 64);
const names = isolatedStreamNames('benche');
const registry = createSeedRegistry();
// One connection for both sides, opened as the transport opens its own (see bench/bus-nats.mjs).
const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
const transport = await b.createNatsTransport({ connection: nc, ...names, storage: 'memory' });
const bus = b.createBus({ transport, registry, source: '/bench' });

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
const bareReceiver = e2e.createReceiver();
const bareMessages = await (await js.consumers.get(names.stream, 'bare')).consume({
  max_messages: CONCURRENCY,
});
void (async () => {
  for await (const m of bareMessages) {
    bareReceiver.onEvent(JSON.parse(m.string()).data.orderId);
    m.ack();
  }
})();
const payload = e2e.orderFailedJson({ registry, source: '/bench' }, b);

// Bus: the same work through bus.subscribe; the key travels in the order id.
const busBench = await e2e.busSide(bus, CONCURRENCY);

const round = (publish, receiver) => () => e2e.measureRound({ n: N, window: WINDOW, publish, receiver });
let results;
try {
  results = await runRounds({
    sides: {
      bare: round((key) => js.publish(bareSubject, payload(key), { msgID: randomUUID() }), bareReceiver),
      bus: round(busBench.publish, busBench.receiver),
    },
    rounds: ROUNDS,
    warmUp: ['bare', 'bus'],
  });
} finally {
  await busBench.subscription.close();
  bareMessages.stop();
  await deleteStreams(jsm, names);
  await transport.close();
  await nc.close();
}

e2e.printPublishConsume(
  `NATS JetStream publish -> consume: ${ROUNDS} rounds x ${N} events, ${WINDOW} in flight, ${CONCURRENCY} handlers (median)`,
  'bare @nats-io/jetstream',
  results,
);
