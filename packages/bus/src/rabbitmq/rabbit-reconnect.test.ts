import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { uniqueName, amqpUrl as url, waitForCount } from '@interlink/testing';
import { connect } from 'amqplib';
import { afterAll, expect, it } from 'vitest';
import { createBus } from '../bus/create-bus.js';
import { createSeedRegistry } from '../presets/seed-registry.js';
import type { Transport } from '../transport/transport.js';
import { deleteRabbitTopology } from './delete-rabbit-topology.test.helper.js';
import { isolatedRabbitTopology } from './rabbit-topology.js';
import { createRabbitTransport } from './rabbit-transport.js';

const run = promisify(execFile);
const suffix = uniqueName('reconn');
const topology = isolatedRabbitTopology(suffix);
const connectionName = `interlink-bus-${suffix}`;
const transports: Transport[] = [];

/**
 * Deletes the exchange (with it every binding), then closes this test's connection from the
 * broker's side, as a broker restart or network cut would: only a transport that re-declares its
 * topology and resumes its consumers gets every event through.
 */
async function cutConnection(): Promise<void> {
  const admin = await connect(url);
  const ch = await admin.createChannel();
  await ch.deleteExchange(topology.exchange);
  await admin.close();
  const { stdout } = await run('rabbitmqctl', [
    'list_connections',
    'pid',
    'client_properties',
    '-q',
    '--no-table-headers',
  ]);
  const ours = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${connectionName}"}`))
    .map((line) => line.split('\t')[0]!);
  if (ours.length === 0) throw new Error('connection not found');
  for (const pid of ours) await run('rabbitmqctl', ['close_connection', pid, 'test: cut']);
}

afterAll(async () => {
  await Promise.allSettled(transports.map((t) => t.close()));
  await deleteRabbitTopology(url, topology, [...topology.queues.map((q) => q.group), 'audit']);
});

it('re-declares the topology, reconnects and resumes consuming after the exchange is deleted and the connection dropped, losing no publish', async () => {
  const events: string[] = [];
  const transport = await createRabbitTransport({
    url,
    topology,
    connectionName,
    reconnect: { initialMs: 100, maxMs: 1000 },
    onConnectionEvent: (event) => events.push(event),
  });
  transports.push(transport);
  const bus = createBus({ transport, registry: createSeedRegistry(), source: '/order-service' });
  const received = new Set<string>();
  await bus.subscribe('order.*', async (e) => void received.add(e.id), { group: 'audit', concurrency: 20 });

  // 50 concurrent producers, each doing what the outbox relay does: a publish the broker did not
  // confirm is retried with the same id until it is confirmed. They publish while the connection
  // is cut and for 500 events after it is back.
  const sent: string[] = [];
  let failures = 0;
  let next = 0;
  let stopAt = Number.POSITIVE_INFINITY;
  const cut = cutConnection().finally(() => {
    stopAt = next + 500;
  });
  async function producer(): Promise<void> {
    while (next < stopAt && next < 50_000) {
      // Past the first 2,000 events the producers trickle (about 500 a second in all) until the cut
      // is over: enough to keep publishing through the outage, not a backlog a loaded CI machine
      // takes minutes to drain.
      if (next >= 2000 && stopAt === Number.POSITIVE_INFINITY) await sleep(100);
      const i = next++;
      const id = randomBytes(16).toString('hex');
      for (;;) {
        try {
          await bus.publish({
            id,
            type: 'order.failed',
            subject: `o-${i % 10}`,
            data: { orderId: `o-${i}`, reason: 'x' },
          });
          break;
        } catch (error) {
          expect((error as { code?: string }).code).toBe('ERR_BUS_PUBLISH_FAILED');
          failures++;
          await sleep(50);
        }
      }
      sent.push(id);
    }
  }
  await Promise.all(Array.from({ length: 50 }, producer));
  await cut;
  expect(sent.length).toBeGreaterThan(500);
  const consumed = () => sent.reduce((n, id) => (received.has(id) ? n + 1 : n), 0);
  await waitForCount(consumed, sent.length, 'every published event to be consumed');
  expect(events).toContain('disconnect');
  expect(events.at(-1)).toBe('connect');
  expect(failures).toBeGreaterThan(0);
}, 180_000);
