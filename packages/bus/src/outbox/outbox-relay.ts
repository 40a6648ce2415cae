import { exponentialBackoff } from '@interlink/core';
import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import { DEFAULT_BUS_SCHEMA } from '../postgres/migrate-bus.js';
import { quoteIdent } from '../postgres/quote-ident.js';
import { outboxChannel } from './outbox.js';

export interface OutboxRelayOptions {
  pool: Pool;
  /** Publishes one envelope; resolves once the broker has it (a `Bus`'s `publishEnvelope`). */
  publish: (event: EventEnvelope) => Promise<void>;
  schema?: string;
  /** Rows claimed per transaction; default 100. */
  batchSize?: number;
  /** Polling fallback when no notification arrives (lost connection, missed NOTIFY); default 1 s. */
  pollIntervalMs?: number;
  /** Told about failures; the relay keeps running and retries the rows later. */
  onError?: (error: unknown) => void;
  /**
   * After a pass in which every publish failed (the broker is down), the relay waits before the
   * next one, from the polling interval doubling up to this, with jitter; new rows do not cut the
   * wait short. Default 30 s.
   */
  maxBackoffMs?: number;
  /**
   * The wait after the n-th failed pass in a row (n from 1), replacing the default curve above;
   * for tests, or a deployment with its own.
   */
  backoff?: (failedPasses: number) => number;
}

export interface OutboxRelay {
  /** Starts listening and relaying in the background. */
  start(): Promise<void>;
  /** Relays one batch; resolves to how many events were published. */
  runOnce(): Promise<number>;
  /** Stops after the batch in progress (its transaction commits or rolls back whole). */
  stop(): Promise<void>;
}

interface Row {
  id: string;
  aggregate_id: string | null;
  envelope: EventEnvelope;
}

/**
 * Moves committed outbox rows to the broker. Each batch is claimed with `FOR UPDATE SKIP LOCKED`,
 * so several relays share the work; rows are deleted in the same transaction once the broker has
 * confirmed them, so a relay killed mid-batch leaves them for the next one (a duplicate publish at
 * worst, which the event id deduplicates). Within an aggregate, rows go out in id order, and a
 * relay skips an aggregate while another relay holds an earlier row of it.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const schema = options.schema ?? DEFAULT_BUS_SCHEMA;
  const table = `${quoteIdent(schema)}.outbox`;
  const batchSize = options.batchSize ?? 100;
  const pollMs = options.pollIntervalMs ?? 1000;
  const { pool } = options;
  let listener: PoolClient | undefined;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  // Twice the polling interval after the first failed pass, doubling to maxBackoffMs, half of it random.
  const outageBackoff =
    options.backoff ??
    exponentialBackoff({
      initialMs: 2 * pollMs,
      maxMs: options.maxBackoffMs ?? 30_000,
      jitter: 0.5,
    });
  // Set by runOnce: a publish failed in the last pass.
  let publishFailed = false;

  async function runOnce(): Promise<number> {
    publishFailed = false;
    const client = await pool.connect();
    // A connection lost mid-batch fails this batch (the rows stay) instead of the process.
    const onClientError = (error: unknown) => options.onError?.(error);
    client.on('error', onClientError);
    let published: string[] = [];
    // Passed to release() so a broken connection is discarded, not returned to the pool.
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<Row>(
        `SELECT id, aggregate_id, envelope FROM ${table} ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const ids = rows.map((r) => r.id);
      const aggregates = [...new Set(rows.map((r) => r.aggregate_id).filter((a): a is string => a !== null))];
      // Earlier rows of the same aggregate outside this batch are held by another relay: this
      // relay must not overtake them.
      const held = new Map<string, bigint>();
      if (aggregates.length > 0) {
        const blocked = await client.query<{ aggregate_id: string; first: string }>(
          `SELECT aggregate_id, min(id) AS first FROM ${table}
           WHERE aggregate_id = ANY($1::text[]) AND NOT (id = ANY($2::bigint[])) GROUP BY aggregate_id`,
          [aggregates, ids],
        );
        for (const b of blocked.rows) held.set(b.aggregate_id, BigInt(b.first));
      }
      const chains = new Map<string, Row[]>();
      for (const row of rows) {
        const first = row.aggregate_id === null ? undefined : held.get(row.aggregate_id);
        if (first !== undefined && first < BigInt(row.id)) continue;
        // Rows without an aggregate have no order to keep: each is its own chain.
        const key = row.aggregate_id ?? `\u0000${row.id}`;
        const chain = chains.get(key) ?? [];
        chain.push(row);
        chains.set(key, chain);
      }
      const done: string[] = [];
      await Promise.all(
        [...chains.values()].map(async (chain) => {
          for (const row of chain) {
            try {
              await options.publish(row.envelope);
            } catch (error) {
              // Stop this aggregate here so nothing after the failed row overtakes it.
              publishFailed = true;
              options.onError?.(error);
              return;
            }
            done.push(row.id);
          }
        }),
      );
      if (done.length > 0) await client.query(`DELETE FROM ${table} WHERE id = ANY($1::bigint[])`, [done]);
      await client.query('COMMIT');
      published = done;
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.removeListener('error', onClientError);
      client.release(failure);
    }
    return published.length;
  }

  function poke(): void {
    pending = true;
    wake?.();
  }

  /** (Re)opens the LISTEN connection; while it is down the relay still polls. */
  async function listen(): Promise<void> {
    const client = await pool.connect();
    client.on('notification', poke);
    client.on('error', (error) => {
      options.onError?.(error);
      if (listener === client) listener = undefined;
      client.release(error);
      poke(); // wake the loop so it listens again now, not after the polling interval
    });
    await client.query(`LISTEN ${quoteIdent(outboxChannel(schema))}`);
    listener = client;
  }

  /**
   * Waits `ms`. stop() always ends the wait early; a notification (poke) does too unless the relay
   * is backing off from a broker outage.
   */
  function pause(ms: number, notificationsWake: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      wake = () => {
        if (notificationsWake || !running) resolve();
      };
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(timer);
      wake = undefined;
    });
  }

  async function run(): Promise<void> {
    // Consecutive passes in which publishing failed and nothing went out: while the broker is
    // down, each new row's NOTIFY would otherwise start another pass of failing publishes at once.
    let failedPasses = 0;
    while (running) {
      if (!listener) {
        // Rows committed while the listener was down are found by the pass below.
        await listen().catch((error: unknown) => options.onError?.(error));
      }
      pending = false;
      let n = 0;
      try {
        n = await runOnce();
      } catch (error) {
        options.onError?.(error);
      }
      if (!running) break;
      if (publishFailed && n === 0) {
        failedPasses++;
        await pause(outageBackoff(failedPasses), false);
        continue;
      }
      failedPasses = 0;
      if (n >= batchSize || pending) continue;
      await pause(pollMs, true);
    }
  }

  return {
    runOnce,
    async start() {
      if (running) return;
      running = true;
      await listen();
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      if (listener) {
        listener.removeListener('notification', poke);
        await listener.query(`UNLISTEN ${quoteIdent(outboxChannel(schema))}`).catch(() => {});
        listener.release();
        listener = undefined;
      }
    },
  };
}
