import { uniqueId, amqpUrl as url } from '@interlink/testing';
import {
  createOutboxRestartFixture,
  expectNoneLost,
  startRabbit,
  stopRabbit,
} from '@interlink/testing/faults';
import { afterAll, it } from 'vitest';
import { deleteRabbitTopology } from '../rabbitmq/delete-rabbit-topology.test.helper.js';
import { isolatedRabbitTopology, type RabbitTopology } from '../rabbitmq/rabbit-topology.js';
import { createRabbitTransport } from '../rabbitmq/rabbit-transport.js';

// Stops the machine's RabbitMQ (`rabbitmqctl stop_app`: every connection is cut and 5672 closes)
// and starts it again while 10,000 events go through the outbox and its relay into the bus.

const hex = uniqueId();
const scenario = createOutboxRestartFixture(`rabbit_${hex}`);
// No seed queues: only this test's group queue holds the 10,000 events.
const topology: RabbitTopology = { ...isolatedRabbitTopology(`fault${hex}`), queues: [] };
const group = 'ledger';

afterAll(async () => {
  // Whatever happened above, leave RabbitMQ running (start_app is a no-op when it runs).
  await startRabbit();
  await scenario.dispose();
  await deleteRabbitTopology(url, topology, [group]);
});

it('restarting RabbitMQ during a 10,000-event outbox publish loop loses nothing: every event is handled exactly once', async () => {
  const connectionEvents: string[] = [];
  const transport = await createRabbitTransport({
    url,
    topology,
    connectionName: `interlink-bus-fault-${hex}`,
    reconnect: { initialMs: 200, maxMs: 2000 },
    publishTimeoutMs: 3000,
    onConnectionEvent: (event) => connectionEvents.push(event),
  });
  const result = await scenario.run({
    transport,
    group,
    broker: { stop: stopRabbit, start: () => startRabbit() },
  });
  expectNoneLost(result, { broker: 'rabbitmq', events: connectionEvents, reconnectedAs: 'connect' });
});
