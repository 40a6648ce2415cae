import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueId, amqpUrl as url } from '@interlink/testing';
import {
  createScenarioDatabase,
  expectNoneLost,
  runOutboxRestartScenario,
  startRabbit,
  stopRabbit,
} from '@interlink/testing/faults';
import { connect } from 'amqplib';
import { afterAll, expect, it } from 'vitest';
import type { OutboxRelay } from '../outbox/outbox-relay.js';
import {
  deadLetterQueueName,
  isolatedRabbitTopology,
  queueName,
  type RabbitTopology,
} from '../rabbitmq/rabbit-topology.js';
import { createRabbitTransport } from '../rabbitmq/rabbit-transport.js';
import type { Transport } from '../transport/transport.js';

// Stops the machine's RabbitMQ (`rabbitmqctl stop_app`: every connection is cut and 5672 closes)
// and starts it again while 10,000 events go through the outbox and its relay into the bus.

const hex = uniqueId();
const database = createScenarioDatabase(`rabbit_${hex}`);
// No seed queues: only this test's group queue holds the 10,000 events.
const topology: RabbitTopology = { ...isolatedRabbitTopology(`fault${hex}`), queues: [] };
const group = 'ledger';

let relay: OutboxRelay | undefined;
let transport: Transport | undefined;

afterAll(async () => {
  // Whatever happened above, leave RabbitMQ running (start_app is a no-op when it runs).
  await startRabbit();
  await relay?.stop().catch(() => {});
  await transport?.close().catch(() => {});
  const conn = await connect(url);
  const ch = await conn.createChannel();
  await ch.deleteQueue(queueName(topology, group));
  await ch.deleteQueue(deadLetterQueueName(topology, group));
  await ch.deleteExchange(topology.exchange);
  await ch.deleteExchange(topology.deadLetterExchange);
  await conn.close();
  await database.dispose();
});

it('restarting RabbitMQ during a 10,000-event outbox publish loop loses nothing: every event is handled exactly once', async () => {
  const connectionEvents: string[] = [];
  transport = await createRabbitTransport({
    url,
    topology,
    connectionName: `interlink-bus-fault-${hex}`,
    reconnect: { initialMs: 200, maxMs: 2000 },
    publishTimeoutMs: 3000,
    onConnectionEvent: (event) => connectionEvents.push(event),
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
        await stopRabbit();
        stopped();
        await sleep(2000); // the outage: the loop keeps adding, the relay keeps failing
      } finally {
        await startRabbit(); // also when stopping failed half-way
      }
    },
  });
  const { sent: _sent, ...figures } = result;
  console.info(`rabbitmq restart: ${JSON.stringify({ ...figures, connectionEvents })}`);

  expectNoneLost(result);
  // The connection went away and came back.
  expect(connectionEvents).toContain('disconnect');
  expect(connectionEvents.at(-1)).toBe('connect');
  expect(await transport.deadLetters!.list({ group })).toEqual([]);
});
