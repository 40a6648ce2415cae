import { isolatedNatsNames, natsUrl as servers, uniqueId, waitFor } from '@interlink/testing';
import {
  createOutboxRestartFixture,
  expectNoneLost,
  natsServerFromEnv,
  startNats,
  stopNats,
} from '@interlink/testing/faults';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, it } from 'vitest';
import { createNatsTransport } from '../nats/nats-transport.js';

// Stops the machine's nats-server (SIGTERM) and starts it again while 10,000 events go through
// the outbox and its relay into the bus. The stream is on file storage, as in production: a memory
// stream does not survive a server restart.

const server = natsServerFromEnv();
const hex = uniqueId();
const scenario = createOutboxRestartFixture(`nats_${hex}`);
const names = isolatedNatsNames('fault', hex);

let nc: NatsConnection | undefined;

afterAll(async () => {
  // Whatever happened above, leave nats-server running (a no-op when it runs).
  await startNats(server);
  await scenario.dispose();
  await nc?.close().catch(() => {});
  const admin = await connect({ servers });
  // JetStream may still be loading its streams right after a start: retry until it answers.
  for (const stream of [names.stream, names.deadLetterStream]) {
    await waitFor(
      async () => {
        try {
          await (await jetstreamManager(admin)).streams.delete(stream);
          return true;
        } catch (error) {
          return /not found/i.test(String(error));
        }
      },
      `stream ${stream} to be deleted`,
      30_000,
    );
  }
  await admin.close();
});

it('restarting nats-server during a 10,000-event outbox publish loop loses nothing: every event is handled exactly once', async () => {
  const connection = await connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  nc = connection;
  const connectionEvents: string[] = [];
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect') connectionEvents.push(status.type);
    }
  })();
  const transport = await createNatsTransport({
    connection,
    ...names,
    storage: 'file',
    publishTimeoutMs: 2000,
    // Acks lost with the server come back within seconds, not the default 30 s.
    ackWaitMs: 5000,
  });
  const result = await scenario.run({
    transport,
    broker: { stop: () => stopNats(server), start: () => startNats(server) },
  });
  expectNoneLost(result, { broker: 'nats', events: connectionEvents, reconnectedAs: 'reconnect' });
});
