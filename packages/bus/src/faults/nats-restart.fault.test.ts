import { setTimeout as sleep } from 'node:timers/promises';
import { isolatedNatsNames, natsUrl as servers, uniqueId, waitFor } from '@interlink/testing';
import {
  createScenarioDatabase,
  expectNoneLost,
  natsServerFromEnv,
  runOutboxRestartScenario,
  startNats,
  stopNats,
} from '@interlink/testing/faults';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, expect, it } from 'vitest';
import { createNatsTransport } from '../nats/nats-transport.js';
import type { OutboxRelay } from '../outbox/outbox-relay.js';
import type { Transport } from '../transport/transport.js';

// Stops the machine's nats-server (SIGTERM) and starts it again while 10,000 events go through
// the outbox and its relay into the bus. The stream is on file storage, as in production: a memory
// stream does not survive a server restart.

const server = natsServerFromEnv();
const hex = uniqueId();
const database = createScenarioDatabase(`nats_${hex}`);
const names = isolatedNatsNames('fault', hex);
const group = 'ledger';

let relay: OutboxRelay | undefined;
let transport: Transport | undefined;
let nc: NatsConnection | undefined;

afterAll(async () => {
  // Whatever happened above, leave nats-server running (a no-op when it runs).
  await startNats(server);
  await relay?.stop().catch(() => {});
  await transport?.close().catch(() => {});
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
  await database.dispose();
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
  transport = await createNatsTransport({
    connection,
    ...names,
    storage: 'file',
    publishTimeoutMs: 2000,
    // Acks lost with the server come back within seconds, not the default 30 s.
    ackWaitMs: 5000,
  });
  const result = await runOutboxRestartScenario({
    pools: database.pools,
    schema: database.schema,
    transport,
    group,
    onRelay: (r) => {
      relay = r;
    },
    async restartBroker({ stopped }) {
      try {
        await stopNats(server);
        stopped();
        await sleep(2000); // the outage: the loop keeps adding, the relay keeps failing
      } finally {
        await startNats(server); // also when stopping failed half-way
      }
    },
  });
  const { sent: _sent, ...figures } = result;
  console.info(`nats restart: ${JSON.stringify({ ...figures, connectionEvents })}`);

  expectNoneLost(result);
  // The connection went away and came back.
  expect(connectionEvents).toContain('disconnect');
  expect(connectionEvents.at(-1)).toBe('reconnect');
  expect(await transport.deadLetters!.list({ group })).toEqual([]);
});
