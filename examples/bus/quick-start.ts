// Needs NATS (NATS_URL) and PostgreSQL (DATABASE_URL): type-checked only by the packaging test.

import {
  createBus,
  createNatsTransport,
  createOutbox,
  createOutboxRelay,
  createPostgresInbox,
  createSchemaRegistry,
  migrateBus,
  withPostgresInbox,
} from '@interlink/bus';
import { notRetryable } from '@interlink/core';
import { Type } from '@sinclair/typebox';
import pg from 'pg';

const registry = createSchemaRegistry();
registry.register({
  type: 'order.failed',
  version: 1,
  schema: Type.Object({ orderId: Type.String(), reason: Type.String() }),
});
const transport = await createNatsTransport({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
const bus = createBus({ transport, registry, source: '/order-service' });

// Publish: validated at once (ERR_BUS_EVENT_INVALID), resolves once JetStream has stored it.
await bus.publish({
  type: 'order.failed',
  subject: 'order-42', // the aggregate id
  sequence: 7, // per-aggregate sequence
  tenantId: 'tenant-1', // defaults to the tenant of the current request context
  data: { orderId: 'order-42', reason: 'payment declined' },
});

// Consume: a consumer group, a concurrency limit, ack after success, redelivery with backoff on a
// throw, dead letter after maxDeliver, or at once for an error that is not retryable. The handler
// runs in a request context carrying the event's trace (traceparent), tenant and user.
const sub = await bus.subscribe(
  'order.*',
  async (event, { attempt }) => {
    if (event.subject === 'order-unknown') throw notRetryable(new Error('no such order')); // dead letter now
    console.log(event.type, event.data, attempt);
  },
  { group: 'billing', concurrency: 8, maxDeliver: 5 },
);

// Transactional outbox and exactly-once effects.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
await migrateBus(pool); // schema interlink_bus: outbox and inbox tables
await pool.query('CREATE TABLE IF NOT EXISTS orders (id text PRIMARY KEY, status text)');
await pool.query('CREATE TABLE IF NOT EXISTS ledger (event_id text NOT NULL)');
await pool.query("INSERT INTO orders VALUES ('order-42', 'pending') ON CONFLICT DO NOTHING");
const outbox = createOutbox({ registry, source: '/order-service' });
const client = await pool.connect();
await client.query('BEGIN');
await client.query("UPDATE orders SET status = 'failed' WHERE id = 'order-42'");
await outbox.add(client, {
  type: 'order.failed',
  subject: 'order-42',
  data: { orderId: 'order-42', reason: 'x' },
});
await client.query('COMMIT');
client.release();
const relay = createOutboxRelay({ pool, publish: (e) => bus.publishEnvelope(e) });
await relay.start(); // LISTEN/NOTIFY wake-up, 1 s polling fallback, FOR UPDATE SKIP LOCKED

const inbox = createPostgresInbox({ pool });
await bus.subscribe(
  'order.*',
  withPostgresInbox(inbox, 'ledger', async (event, tx) => {
    await tx.query('INSERT INTO ledger (event_id) VALUES ($1)', [event.id]); // commits with the inbox row
  }),
  { group: 'ledger' },
);

// Dead letters: list, inspect, replay to the group, purge.
const [letter] = await transport.deadLetters!.list({ group: 'billing' });
if (letter) await transport.deadLetters!.replay(letter.id);

await sub.close(); // finishes in-flight handlers first
await relay.stop();
await bus.close();
await pool.end();
