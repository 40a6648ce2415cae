import { setTimeout as sleep } from 'node:timers/promises';
import {
  createBus,
  createOutbox,
  createOutboxRelay,
  createPostgresInbox,
  type DeadLetter,
  migrateBus,
  type OutboxRelay,
  type Transport,
  withPostgresInbox,
} from '@interlink/bus';
import { createSeedRegistry } from '@interlink/bus/presets';
import type pg from 'pg';
import { expect } from 'vitest';
import { waitFor } from '../wait/wait-for.js';
import { createScenarioDatabase } from './scenario-database.js';

// The scenario shared by the broker fault tests (`*.fault.test.ts`): a publish loop through the
// PostgreSQL outbox and its relay into a bus on a real broker, the broker stopped and started in
// the middle of the loop, and the effects of a consumer behind a PostgreSQL inbox counted after.

export interface OutboxRestartScenario {
  /** Three pools: the publish loop's, the relay's and the consumer's (inbox transactions). */
  pools: { loop: pg.Pool; relay: pg.Pool; consumer: pg.Pool };
  /** A fresh schema: outbox, inbox and an `effects` table are created in it. */
  schema: string;
  transport: Transport;
  /**
   * The broker's controls. The scenario stops it, keeps it down for `outageMs` while the loop goes
   * on adding, and starts it again, also when stopping failed half-way.
   */
  broker: { stop(): Promise<void>; start(): Promise<void> };
  /** How long the broker stays down; default 2 s. */
  outageMs?: number;
  /** Stopping happens at `stopAt` added events; from `runningAgainAt` on the broker is back. */
  total?: number;
  stopAt?: number;
  runningAgainAt?: number;
  group?: string;
  /** Registered so the test's afterAll can stop it even when the scenario throws. */
  onRelay?: (relay: OutboxRelay) => void;
}

export interface OutboxRestartResult {
  /** Ids of every event added to the outbox (committed). */
  sent: string[];
  relayedBeforeStop: number;
  addedWhileDown: number;
  /** Failures the relay was told about, by error code (`ERR_BUS_PUBLISH_FAILED`). */
  relayFailures: Record<string, number>;
  /** Handler calls, duplicates (refused by the inbox) included. */
  deliveries: number;
  outboxLeft: number;
  effects: number;
  distinctEffects: number;
  /** Effects whose event id is one of `sent`. */
  effectsOfSent: number;
  inboxRows: number;
  /** The group's dead letters after the run. */
  deadLetters: DeadLetter[];
}

const PER_TRANSACTION = 50;
const AGGREGATES = 100;

/**
 * Runs the scenario and reports what it counted; the test asserts on the result. The transport
 * is the test's to create and close; the relay is stopped here (and handed to `onRelay` so a
 * failing test's afterAll can stop it too).
 */
export async function runOutboxRestartScenario(s: OutboxRestartScenario): Promise<OutboxRestartResult> {
  const total = s.total ?? 10_000;
  const stopAt = s.stopAt ?? 3000;
  const runningAgainAt = s.runningAgainAt ?? 6000;
  const group = s.group ?? 'ledger';
  const { schema, transport } = s;
  const registry = createSeedRegistry();
  const source = '/order-service';
  const db = s.pools.loop;
  await migrateBus(db, { schema });
  await db.query(`CREATE TABLE ${schema}.effects (event_id text NOT NULL)`);

  const bus = createBus({ transport, registry, source });
  const inbox = createPostgresInbox({ pool: s.pools.consumer, schema });
  let deliveries = 0;
  const ledger = withPostgresInbox(inbox, group, async (event, tx) => {
    await tx.query(`INSERT INTO ${schema}.effects (event_id) VALUES ($1)`, [event.id]);
  });
  await bus.subscribe(
    'order.*',
    async (event, info) => {
      deliveries++;
      await ledger(event, info);
    },
    { group, concurrency: 16 },
  );

  const outbox = createOutbox({ registry, source, schema });
  let relayed = 0;
  const relayFailures: Record<string, number> = {};
  const relay = createOutboxRelay({
    pool: s.pools.relay,
    schema,
    batchSize: 500,
    pollIntervalMs: 200,
    // The outage lasts seconds: back off, but not past the test's patience.
    maxBackoffMs: 2000,
    publish: async (event) => {
      await bus.publishEnvelope(event);
      relayed++;
    },
    // A publish the broker did not confirm is reported here; its row stays and is retried.
    onError: (error) => {
      const code = (error as { code?: string }).code ?? 'other';
      relayFailures[code] = (relayFailures[code] ?? 0) + 1;
    },
  });
  s.onRelay?.(relay);
  await relay.start();

  let down = false;
  let relayedBeforeStop = 0;
  let addedWhileDown = 0;
  const sent: string[] = [];
  let restarting: Promise<void> | undefined;
  // The publish loop, 50 events per transaction. The broker is stopped once `stopAt` events are
  // added (and the relay is publishing), the loop goes on adding while it is down, and it waits
  // for the broker to be back at `runningAgainAt`, so the outage falls in the middle of the loop.
  for (let i = 0; i < total; i += PER_TRANSACTION) {
    if (i === stopAt) {
      await waitFor(() => relayed >= stopAt / 3, 'the relay to be publishing', 30_000);
      relayedBeforeStop = relayed;
      restarting = restartBroker(s.broker, s.outageMs ?? 2000, () => {
        down = true;
      }).finally(() => {
        down = false;
      });
      restarting.catch(() => {}); // awaited below; this only keeps an early rejection handled
    }
    if (i === (stopAt + runningAgainAt) / 2) {
      await waitFor(() => down || restarting === undefined, 'the broker to be stopped', 60_000);
    }
    if (i === runningAgainAt) await restarting;
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      for (let j = i; j < i + PER_TRANSACTION; j++) {
        const orderId = `o-${j % AGGREGATES}`;
        const event = await outbox.add(client, {
          type: 'order.failed',
          subject: orderId,
          sequence: Math.floor(j / AGGREGATES) + 1,
          data: { orderId, reason: `r${j}` },
        });
        sent.push(event.id);
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    if (down) addedWhileDown += PER_TRANSACTION;
  }
  await restarting;

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);
  // Wait for every effect, but give up once nothing has moved for 15 s: lost events never come,
  // and the counts below then say how many are missing.
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const n = await count(`SELECT count(*) AS n FROM ${schema}.effects`);
    if (n >= total) break;
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > 15_000) break;
    await sleep(100);
  }
  // Late duplicates (redelivered after the restart) get the time to arrive and be refused.
  await waitFor(async () => (await transport.pending(group)) === 0, 'the consumer to catch up', 30_000);
  await sleep(500);
  await relay.stop();

  return {
    sent,
    relayedBeforeStop,
    addedWhileDown,
    relayFailures,
    deliveries,
    outboxLeft: await count(`SELECT count(*) AS n FROM ${schema}.outbox`),
    effects: await count(`SELECT count(*) AS n FROM ${schema}.effects`),
    distinctEffects: await count(`SELECT count(DISTINCT event_id) AS n FROM ${schema}.effects`),
    effectsOfSent: await count(
      `SELECT count(*) AS n FROM ${schema}.effects WHERE event_id = ANY($1::text[])`,
      [sent],
    ),
    inboxRows: await count(`SELECT count(*) AS n FROM ${schema}.inbox WHERE consumer_group = $1`, [group]),
    deadLetters: await transport.deadLetters!.list({ group }),
  };
}

/** Stops the broker, calls `stopped`, waits out the outage and starts it again whatever happened. */
async function restartBroker(broker: OutboxRestartScenario['broker'], outageMs: number, stopped: () => void) {
  try {
    await broker.stop();
    stopped();
    await sleep(outageMs); // the outage: the loop keeps adding, the relay keeps failing
  } finally {
    await broker.start();
  }
}

/** The broker client's connection events, as a restart test records them. */
export interface ConnectionRecord {
  /** Names the run in the figures logged: `nats`, `rabbitmq`. */
  broker: string;
  /** Events in order: `disconnect`, and the client's word for being back. */
  events: readonly string[];
  /** That word: `reconnect` (NATS), `connect` (the RabbitMQ transport). */
  reconnectedAs: string;
}

/**
 * What both restart tests prove of a run (and log its figures): all 10,000 events sent, none left
 * in the outbox, each effect exactly once, an outage in the middle of the loop, failed publishes
 * reported and retried, the connection lost and back, and no dead letters.
 */
export function expectNoneLost(result: OutboxRestartResult, connection: ConnectionRecord): void {
  const { sent: _sent, ...figures } = result;
  console.info(
    `${connection.broker} restart: ${JSON.stringify({ ...figures, connectionEvents: connection.events })}`,
  );
  expect(result.sent).toHaveLength(10_000);
  expect(result.outboxLeft).toBe(0);
  expect(result.effectsOfSent).toBe(10_000);
  expect(result.effects).toBe(10_000);
  expect(result.distinctEffects).toBe(10_000);
  expect(result.inboxRows).toBe(10_000);
  expect(result.relayedBeforeStop).toBeGreaterThan(0);
  expect(result.addedWhileDown).toBeGreaterThan(0);
  expect(result.relayFailures.ERR_BUS_PUBLISH_FAILED ?? 0).toBeGreaterThan(0);
  // The connection went away and came back.
  expect(connection.events).toContain('disconnect');
  expect(connection.events.at(-1)).toBe(connection.reconnectedAs);
  expect(result.deadLetters).toEqual([]);
}

/** One fault test's scenario: a database of its own, and what a run leaves for the test's afterAll. */
export interface OutboxRestartFixture {
  /** Runs the scenario on the fixture's database; the transport is closed by {@link dispose}. */
  run(options: Omit<OutboxRestartScenario, 'pools' | 'schema' | 'onRelay'>): Promise<OutboxRestartResult>;
  /** Stops the relay, closes the transport, drops the schema and ends the pools, whatever happened. */
  dispose(): Promise<void>;
}

/** A fixture on a fresh `bus_fault_<name>` schema ({@link createScenarioDatabase}). */
export function createOutboxRestartFixture(name: string): OutboxRestartFixture {
  const database = createScenarioDatabase(name);
  let relay: OutboxRelay | undefined;
  let transport: Transport | undefined;
  return {
    run(options) {
      transport = options.transport;
      return runOutboxRestartScenario({
        ...options,
        pools: database.pools,
        schema: database.schema,
        onRelay: (r) => {
          relay = r;
        },
      });
    },
    async dispose() {
      await relay?.stop().catch(() => {});
      await transport?.close().catch(() => {});
      await database.dispose();
    },
  };
}
