import type { Pool, PoolClient } from 'pg';
import type { EventHandler } from '../bus/create-bus.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import { DEFAULT_BUS_SCHEMA } from '../postgres/migrate-bus.js';
import { quoteIdent } from '../postgres/quote-ident.js';
import { DEFAULT_INBOX_TTL_MS, type Inbox } from './inbox.js';

export interface PostgresInboxOptions {
  pool: Pool;
  schema?: string;
}

export interface PostgresInbox extends Inbox {
  /**
   * Runs `fn` in a transaction that also records (`group`, `eventId`): the handler's writes and the
   * inbox row commit together or not at all, so each event's effect happens exactly once per group,
   * even when duplicates are handled at the same moment (the second waits on the first's row).
   * Resolves to false, without running `fn`, for an event the group already processed.
   */
  process(group: string, eventId: string, fn: (tx: PoolClient) => Promise<void>): Promise<boolean>;
  /** Deletes rows older than `olderThanMs` (default 24 h); resolves to how many. */
  prune(olderThanMs?: number): Promise<number>;
}

/** The PostgreSQL inbox (tables from `migrateBus`). */
export function createPostgresInbox(options: PostgresInboxOptions): PostgresInbox {
  const { pool } = options;
  const table = `${quoteIdent(options.schema ?? DEFAULT_BUS_SCHEMA)}.inbox`;
  const insert = `INSERT INTO ${table} (consumer_group, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`;
  return {
    async claim(group, eventId) {
      const result = await pool.query(insert, [group, eventId]);
      return result.rowCount === 1;
    },
    async release(group, eventId) {
      await pool.query(`DELETE FROM ${table} WHERE consumer_group = $1 AND event_id = $2`, [group, eventId]);
    },
    async process(group, eventId, fn) {
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        const claimed = await tx.query(insert, [group, eventId]);
        if (claimed.rowCount !== 1) {
          await tx.query('ROLLBACK');
          return false;
        }
        await fn(tx);
        await tx.query('COMMIT');
        return true;
      } catch (error) {
        await tx.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        tx.release();
      }
    },
    async prune(olderThanMs = DEFAULT_INBOX_TTL_MS) {
      const result = await pool.query(
        `DELETE FROM ${table} WHERE processed_at < now() - $1 * interval '1 millisecond'`,
        [olderThanMs],
      );
      return result.rowCount ?? 0;
    },
  };
}

/**
 * Wraps a handler so it runs once per event and group, inside the inbox transaction it is given
 * for its own writes.
 */
export function withPostgresInbox<T>(
  inbox: PostgresInbox,
  group: string,
  handler: (event: EventEnvelope<T>, tx: PoolClient) => Promise<void>,
): EventHandler<T> {
  return async (event) => {
    await inbox.process(group, event.id, (tx) => handler(event, tx));
  };
}
