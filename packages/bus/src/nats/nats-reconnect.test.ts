import { randomBytes } from 'node:crypto';
import { deleteNatsStreams, isolatedNatsNames, natsUrl as servers, waitFor } from '@interlink/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, expect, it } from 'vitest';
import { createBus } from '../bus/create-bus.js';
import { createSeedRegistry } from '../presets/seed-registry.js';
import { createNatsTransport } from './nats-transport.js';

const names = isolatedNatsNames('reconn');
const connections: NatsConnection[] = [];

afterAll(async () => {
  await deleteNatsStreams([names.stream, names.deadLetterStream]);
  await Promise.allSettled(connections.map((c) => c.close()));
});

it('keeps publishing and consuming across a dropped connection, losing no publish', async () => {
  const nc = await connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  connections.push(nc);
  // A short ack wait: deliveries whose ack was lost with the connection come back within seconds.
  const transport = await createNatsTransport({
    connection: nc,
    ...names,
    storage: 'memory',
    publishTimeoutMs: 1000,
    ackWaitMs: 3000,
  });
  const bus = createBus({ transport, registry: createSeedRegistry(), source: '/order-service' });
  const received = new Map<string, number>();
  await bus.subscribe('order.*', async (e) => void received.set(e.id, (received.get(e.id) ?? 0) + 1), {
    group: 'audit',
    concurrency: 20,
  });
  const sent: string[] = [];
  let next = 0;
  let dropped = false;
  async function producer(): Promise<void> {
    while (next < 2000) {
      const i = next++;
      if (i === 500) {
        dropped = true;
        void nc.reconnect();
      }
      const eventId = randomBytes(16).toString('hex');
      // A publish whose ack was lost is retried with the same id; Nats-Msg-Id drops the copy.
      for (;;) {
        try {
          await bus.publish({ id: eventId, type: 'order.failed', data: { orderId: `o-${i}`, reason: 'x' } });
          break;
        } catch (error) {
          expect((error as { code?: string }).code).toBe('ERR_BUS_PUBLISH_FAILED');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      sent.push(eventId);
    }
  }
  await Promise.all(Array.from({ length: 50 }, producer));
  expect(dropped).toBe(true);
  await waitFor(() => sent.every((e) => received.has(e)), 'every event to be consumed', 30_000);
  expect(received.size).toBe(sent.length);
  await bus.close();
}, 60_000);
