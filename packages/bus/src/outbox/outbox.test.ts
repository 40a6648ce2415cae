import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBus } from '../bus/create-bus.js';
import { waitFor } from '../conformance/wait-for.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import { createPostgresInbox, withPostgresInbox } from '../inbox/postgres-inbox.js';
import { createMemoryTransport } from '../memory/memory-transport.js';
import { migrateBus } from '../postgres/migrate-bus.js';
import { createSeedRegistry } from '../presets/seed-registry.js';
import { createOutbox } from './outbox.js';
import { createOutboxRelay, type OutboxRelay } from './outbox-relay.js';

const connectionString = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const registry = createSeedRegistry();
const source = '/order-service';
const pools: pg.Pool[] = [];
const relays: OutboxRelay[] = [];
const schemas: string[] = [];

function pool(applicationName = 'bus-test'): pg.Pool {
  const p = new pg.Pool({ connectionString, max: 5, application_name: applicationName });
  p.on('error', () => {});
  pools.push(p);
  return p;
}

/** A fresh schema with the bus tables and an `orders` table standing for the service's state. */
async function freshSchema(db: pg.Pool): Promise<string> {
  const schema = `bus_outbox_${randomBytes(5).toString('hex')}`;
  schemas.push(schema);
  await migrateBus(db, { schema });
  await db.query(`CREATE TABLE ${schema}.orders (id text PRIMARY KEY)`);
  await db.query(`CREATE TABLE ${schema}.effects (event_id text NOT NULL)`);
  return schema;
}

function failed(orderId: string, n: number) {
  return { type: 'order.failed', subject: orderId, sequence: n, data: { orderId, reason: `r${n}` } };
}

let admin: pg.Pool;
beforeAll(() => {
  admin = pool('bus-test-admin');
});
afterEach(async () => {
  await Promise.allSettled(relays.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await Promise.allSettled(pools.map((p) => p.end()));
});

describe('transactional outbox', () => {
  it('publishes an event only when the state change commits, and deletes the row once confirmed', async () => {
    const schema = await freshSchema(admin);
    const outbox = createOutbox({ registry, source, schema });
    const client = await admin.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${schema}.orders VALUES ('o-1')`);
    const kept = await outbox.add(client, failed('o-1', 1));
    await client.query('COMMIT');
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${schema}.orders VALUES ('o-2')`);
    await outbox.add(client, failed('o-2', 1));
    await client.query('ROLLBACK');
    client.release();

    const published: EventEnvelope[] = [];
    const relay = createOutboxRelay({ pool: admin, schema, publish: async (e) => void published.push(e) });
    expect(await relay.runOnce()).toBe(1);
    expect(published.map((e) => e.id)).toEqual([kept.id]);
    expect(published[0]).toMatchObject({
      type: 'order.failed',
      subject: 'o-1',
      sequence: 1,
      data: kept.data,
    });
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`)).rows[0].n).toBe(0);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => createOutbox({ registry, source, schema: 'x"; DROP TABLE y; --' })).toThrow(
      expect.objectContaining({ code: 'ERR_BUS_INVALID_OPTIONS' }),
    );
  });

  it('refuses an invalid event inside the transaction, before anything is written', async () => {
    const schema = await freshSchema(admin);
    const outbox = createOutbox({ registry, source, schema });
    await expect(outbox.add(admin, { type: 'order.failed', data: { orderId: 'o' } })).rejects.toMatchObject({
      code: 'ERR_BUS_EVENT_INVALID',
    });
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`)).rows[0].n).toBe(0);
  });

  it('is woken by NOTIFY on commit, long before its polling interval', async () => {
    const schema = await freshSchema(admin);
    const outbox = createOutbox({ registry, source, schema });
    const published: string[] = [];
    const relay = createOutboxRelay({
      pool: admin,
      schema,
      pollIntervalMs: 600_000,
      publish: async (e) => void published.push(e.id),
    });
    relays.push(relay);
    await relay.start();
    await sleep(50); // let the first (empty) pass finish, so only a notification can wake it
    const event = await outbox.add(admin, failed('o-1', 1));
    await waitFor(() => published.includes(event.id), 'the notified relay to publish');
  });

  it('listens again after its LISTEN session is killed, without waiting for the polling interval', async () => {
    const schema = await freshSchema(admin);
    const outbox = createOutbox({ registry, source, schema });
    const published: string[] = [];
    const relay = createOutboxRelay({
      pool: pool('relay-listen'),
      schema,
      pollIntervalMs: 600_000,
      publish: async (e) => void published.push(e.id),
    });
    relays.push(relay);
    await relay.start();
    await sleep(50);
    const killed = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'relay-listen'",
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    await waitFor(
      async () =>
        (
          await admin.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'relay-listen' AND query LIKE 'LISTEN%'",
          )
        ).rows[0].n === 1,
      'a new LISTEN session',
    );
    const event = await outbox.add(admin, failed('o-1', 1));
    await waitFor(() => published.includes(event.id), 'the relay to publish after listening again');
  });

  it('keeps a failed publish in the outbox and retries it, without letting later events of that aggregate overtake it', async () => {
    const schema = await freshSchema(admin);
    const outbox = createOutbox({ registry, source, schema });
    for (let i = 1; i <= 3; i++) await outbox.add(admin, failed('o-1', i));
    await outbox.add(admin, failed('o-2', 1));
    let broken = true;
    const published: string[] = [];
    const relay = createOutboxRelay({
      pool: admin,
      schema,
      publish: async (e) => {
        if (broken && e.sequence === 2) throw new Error('broker down');
        published.push(`${e.subject}#${e.sequence}`);
      },
    });
    expect(await relay.runOnce()).toBe(2);
    expect(published.sort()).toEqual(['o-1#1', 'o-2#1']);
    broken = false;
    expect(await relay.runOnce()).toBe(2);
    expect(published.slice(2)).toEqual(['o-1#2', 'o-1#3']);
  });

  it('backs off while every publish fails, however many rows arrive, and relays them all once the broker is back', async () => {
    const schema = await freshSchema(admin);
    const outbox = createOutbox({ registry, source, schema });
    let down = true;
    let attempts = 0;
    const waits: number[] = [];
    const published: string[] = [];
    const relay = createOutboxRelay({
      pool: admin,
      schema,
      pollIntervalMs: 100,
      // A wait far longer than the test: only a notification could end it early, and must not.
      backoff: (failedPasses) => {
        waits.push(failedPasses);
        return 600_000;
      },
      publish: async (e) => {
        attempts++;
        if (down) throw new Error('broker down');
        published.push(e.id);
      },
    });
    relays.push(relay);
    await relay.start();
    // The first row's pass fails (one attempt: the head of its aggregate) and the relay backs off.
    const ids = [(await outbox.add(admin, failed('o-0', 0))).id];
    await waitFor(() => waits.length === 1, 'the relay to back off after a failed pass');
    // Each of these commits NOTIFYs the relay; without the backoff each would start a pass of
    // failing publishes (one per aggregate head).
    for (let i = 1; i < 100; i++) ids.push((await outbox.add(admin, failed(`o-${i % 5}`, i))).id);
    const notified = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`);
    expect(notified.rows[0].n).toBe(100);
    expect(attempts).toBe(1);
    expect(waits).toEqual([1]);
    // Broker back: stop ends the wait, and the next relay publishes every row.
    await relay.stop();
    down = false;
    const next = createOutboxRelay({
      pool: admin,
      schema,
      pollIntervalMs: 100,
      publish: async (e) => void published.push(e.id),
    });
    relays.push(next);
    await next.start();
    await waitFor(() => published.length === ids.length, 'every row to be relayed after the outage', 5000);
    expect(published.sort()).toEqual([...ids].sort());
  });

  it('two relays at once publish every event, each aggregate in order', async () => {
    const schema = await freshSchema(admin);
    const outbox = createOutbox({ registry, source, schema });
    const aggregates = ['a', 'b', 'c', 'd', 'e'];
    for (let i = 1; i <= 40; i++) {
      const client = await admin.connect();
      await client.query('BEGIN');
      for (const a of aggregates) await outbox.add(client, failed(a, i));
      await client.query('COMMIT');
      client.release();
    }
    const seen = new Map<string, number[]>();
    const publish = async (e: EventEnvelope) => {
      await sleep(Math.random() * 2);
      const list = seen.get(e.subject!) ?? [];
      list.push(e.sequence!);
      seen.set(e.subject!, list);
    };
    const r1 = createOutboxRelay({
      pool: pool('relay-1'),
      schema,
      publish,
      batchSize: 7,
      pollIntervalMs: 20,
    });
    const r2 = createOutboxRelay({
      pool: pool('relay-2'),
      schema,
      publish,
      batchSize: 7,
      pollIntervalMs: 20,
    });
    relays.push(r1, r2);
    await Promise.all([r1.start(), r2.start()]);
    await waitFor(
      async () => [...seen.values()].reduce((n, l) => n + l.length, 0) >= 200,
      'all 200 events',
      20_000,
    );
    const expected = Array.from({ length: 40 }, (_, i) => i + 1);
    for (const a of aggregates) expect(seen.get(a)).toEqual(expected);
  });

  it('loses nothing when a relay is killed mid-batch', async () => {
    const schema = await freshSchema(admin);
    const outbox = createOutbox({ registry, source, schema });
    const sent: EventEnvelope[] = [];
    for (let i = 1; i <= 20; i++) sent.push(await outbox.add(admin, failed(`o-${i % 4}`, i)));
    const published = new Set<string>();
    let stuck!: () => void;
    const stuckPublish = new Promise<void>((resolve) => {
      stuck = resolve;
    });
    const doomed = createOutboxRelay({
      pool: pool('relay-doomed'),
      schema,
      publish: async (e) => {
        published.add(e.id);
        if (published.size >= 5) await stuckPublish; // the process "hangs" mid-batch here
      },
    });
    const batch = doomed.runOnce().catch(() => -1);
    await waitFor(() => published.size >= 5, 'the doomed relay to be mid-batch');
    // Its database session dies as it would with kill -9 of the relay's process.
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'relay-doomed'",
    );
    stuck();
    expect(await batch).toBe(-1);
    const survivor = createOutboxRelay({
      pool: pool('relay-survivor'),
      schema,
      publish: async (e) => void published.add(e.id),
    });
    while ((await survivor.runOnce()) > 0);
    expect(sent.every((e) => published.has(e.id))).toBe(true);
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`)).rows[0].n).toBe(0);
  });
});

describe('PostgreSQL inbox', () => {
  it('claims each event once per group and prunes rows past the retention', async () => {
    const schema = await freshSchema(admin);
    const inbox = createPostgresInbox({ pool: admin, schema });
    expect(await inbox.claim('billing', 'e-1')).toBe(true);
    expect(await inbox.claim('billing', 'e-1')).toBe(false);
    expect(await inbox.claim('emails', 'e-1')).toBe(true);
    await admin.query(
      `UPDATE ${schema}.inbox SET processed_at = now() - interval '25 hours' WHERE consumer_group = 'billing'`,
    );
    expect(await inbox.prune()).toBe(1);
    expect(await inbox.claim('billing', 'e-1')).toBe(true);
    expect(await inbox.claim('emails', 'e-1')).toBe(false);
  });

  it('with the outbox and a transport that redelivers duplicates, each effect happens exactly once', async () => {
    const schema = await freshSchema(admin);
    const db = pool('inbox-consumer');
    const outbox = createOutbox({ registry, source, schema });
    // No publish deduplication: every duplicate reaches the consumer.
    const bus = createBus({ transport: createMemoryTransport({ duplicateWindowMs: 0 }), registry, source });
    const inbox = createPostgresInbox({ pool: db, schema });
    let deliveries = 0;
    let failOnce = true;
    const handler = withPostgresInbox<unknown>(inbox, 'billing', async (event, tx) => {
      await tx.query(`INSERT INTO ${schema}.effects VALUES ($1)`, [event.id]);
      // A failure after the write rolls the write back with the inbox row; the retry redoes both.
      if (failOnce && event.sequence === 3) {
        failOnce = false;
        throw new Error('crash after write');
      }
    });
    await bus.subscribe(
      'order.*',
      async (event, info) => {
        deliveries++;
        await handler(event, info);
      },
      { group: 'billing', concurrency: 4, backoff: () => 5 },
    );
    for (let i = 1; i <= 10; i++) await outbox.add(admin, failed(`o-${i}`, i));
    const relayed: EventEnvelope[] = [];
    const relay = createOutboxRelay({
      pool: admin,
      schema,
      publish: async (e) => {
        relayed.push(e);
        await bus.publishEnvelope(e);
      },
    });
    expect(await relay.runOnce()).toBe(10);
    // Every event twice more, as a relay restarted mid-batch or a broker redelivery would send it.
    for (const e of relayed) {
      await bus.publishEnvelope(e);
      await bus.publishEnvelope(e);
    }
    await waitFor(() => deliveries >= 31, 'every copy and the retry to be handled');
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM ${schema}.inbox`)).rows[0].n === 10,
      'ten inbox rows',
    );
    const effects = await admin.query(
      `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM ${schema}.effects`,
    );
    expect(effects.rows[0]).toEqual({ n: 10, d: 10 });
    await bus.close();
  });
});
