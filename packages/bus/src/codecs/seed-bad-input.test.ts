import { uniqueName, amqpUrl as url, waitFor } from '@interlink/testing';
import { type ChannelModel, connect, type Options } from 'amqplib';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Bus, createBus } from '../bus/create-bus.js';
import type { DeadLetter } from '../dead-letters/dead-letter.js';
import { createBusMetrics } from '../metrics/bus-metrics.js';
import { deleteRabbitTopology } from '../rabbitmq/delete-rabbit-topology.test.helper.js';
import { isolatedRabbitTopology } from '../rabbitmq/rabbit-topology.js';
import { createRabbitTransport } from '../rabbitmq/rabbit-transport.js';
import { SEED_002_ORDER_FORMAT } from './seed-002-codec.js';
import { bridgeRegistry } from './seed-events.test.helper.js';

// Bad messages arriving the way seed publishers send them (raw amqplib on a tickettoken_events
// exchange): each is dead-lettered at once with its reason and counted, and the consumer goes on.
const topology = isolatedRabbitTopology(uniqueName('badin'), {
  exchange: 'tickettoken_events',
  deadLetterExchange: 'tickettoken_events_dlx',
  queueSuffix: '',
  queues: [],
});
const GROUP = 'bridge_bad';
const MAX_BYTES = 4096;
const metrics = new Registry();
let bus: Bus;
let conn: ChannelModel;
const handled: string[] = [];

beforeAll(async () => {
  const transport = await createRabbitTransport({ url, topology, maxBytes: MAX_BYTES });
  bus = createBus({
    transport,
    registry: bridgeRegistry(),
    source: '/order-service',
    legacyFormats: [SEED_002_ORDER_FORMAT],
    metrics: createBusMetrics(metrics),
  });
  await bus.subscribe('order.*', async (e) => void handled.push(e.id), { group: GROUP, maxDeliver: 5 });
  conn = await connect(url);
});

afterAll(async () => {
  await bus?.close();
  await conn?.close();
  await deleteRabbitTopology(url, topology, [GROUP]);
});

function seedShaped(key: string, overrides: Record<string, unknown>) {
  return {
    version: 1,
    type: 'order.failed',
    idempotencyKey: key,
    sequenceNumber: 1,
    aggregateId: 'o-1',
    payload: { orderId: 'o-1', reason: 'declined' },
    timestamp: new Date(),
    ...overrides,
  };
}

/** Publishes raw bytes as a seed service does (routing key, persistent), message id for finding its letter. */
async function publishRaw(messageId: string, body: string | Buffer, options: Options.Publish = {}) {
  const ch = await conn.createConfirmChannel();
  ch.publish(topology.exchange, 'order.failed', Buffer.from(body), {
    persistent: true,
    messageId,
    ...options,
  });
  await ch.waitForConfirms();
  await ch.close();
}

async function letterOf(messageId: string): Promise<DeadLetter> {
  let found: DeadLetter | undefined;
  await waitFor(async () => {
    found = (await bus.transport.deadLetters!.list({ group: GROUP, limit: 1000 })).find(
      (l) => l.eventId === messageId,
    );
    return found !== undefined;
  }, `the dead letter of ${messageId}`);
  return found!;
}

const cases: Array<{
  name: string;
  body: () => string | Buffer;
  options?: Options.Publish;
  code: string;
  reason: string;
}> = [
  {
    name: 'a seed-shaped message with no type',
    body: () => JSON.stringify(seedShaped('k-notype', { type: undefined })),
    code: 'ERR_BUS_MALFORMED_MESSAGE',
    reason: 'seed-002 message has no type',
  },
  {
    name: 'a payload that fails its schema',
    body: () => JSON.stringify(seedShaped('k-schema', { payload: { orderId: 'o-1' } })),
    code: 'ERR_BUS_EVENT_INVALID',
    reason: '/reason',
  },
  {
    name: 'an unknown version',
    body: () => JSON.stringify(seedShaped('k-version', { version: 7 })),
    code: 'ERR_BUS_UNKNOWN_SCHEMA_VERSION',
    reason: 'no schema version 7',
  },
  {
    name: 'a body that is not JSON',
    body: () => '{"version":1,"type":"order.failed",',
    code: 'ERR_BUS_MALFORMED_MESSAGE',
    reason: 'not JSON',
  },
  {
    name: 'a binary-mode message whose cloudEvents:specversion is not 1.0',
    body: () => JSON.stringify({ orderId: 'o-1', reason: 'declined' }),
    options: {
      contentType: 'application/json',
      headers: {
        'cloudEvents:specversion': '0.3',
        'cloudEvents:type': 'order.failed',
        'cloudEvents:id': 'x',
      },
    },
    code: 'ERR_BUS_UNSUPPORTED_SPECVERSION',
    reason: 'specversion "0.3"',
  },
  {
    name: 'a body larger than the limit',
    body: () =>
      JSON.stringify(seedShaped('k-large', { payload: { orderId: 'o-1', reason: 'x'.repeat(MAX_BYTES) } })),
    code: 'ERR_BUS_MESSAGE_TOO_LARGE',
    reason: `at most ${MAX_BYTES}`,
  },
];

it.each(cases)(
  'dead-letters $name at once with its reason, and counts it',
  async ({ body, options, code, reason }) => {
    const id = uniqueName('bad_');
    await publishRaw(id, body(), options);
    const letter = await letterOf(id);
    expect(letter).toMatchObject({ code, attempts: 1, group: GROUP });
    expect(letter.reason).toContain(reason);
    expect(handled).not.toContain(id);
    expect(await metrics.metrics()).toMatch(
      new RegExp(
        `interlink_bus_rejected_total\\{transport="rabbitmq",group="${GROUP}",code="${code}"\\} [1-9]`,
      ),
    );
  },
);

it('keeps consuming after every bad message: a good seed event is handled, and each refusal was counted', async () => {
  await publishRaw('good', JSON.stringify(seedShaped('k-good', {})));
  await waitFor(() => handled.includes('k-good'), 'the good event');
  const text = await metrics.metrics();
  expect(text).toContain(
    `interlink_bus_rejected_total{transport="rabbitmq",group="${GROUP}",code="ERR_BUS_MALFORMED_MESSAGE"} 2`,
  );
  expect(text).toContain(
    `interlink_bus_dead_lettered_total{transport="rabbitmq",group="${GROUP}"} ${cases.length}`,
  );
  expect(handled).toEqual(['k-good']);
});
