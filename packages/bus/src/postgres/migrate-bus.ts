import type { Pool } from 'pg';
import { quoteIdent } from './quote-ident.js';

/** The schema the bus's tables live in unless told otherwise. */
export const DEFAULT_BUS_SCHEMA = 'interlink_bus';

/** The migrations, in order; each is idempotent. */
export function busMigrations(schema: string = DEFAULT_BUS_SCHEMA): string[] {
  const s = quoteIdent(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.outbox (
      id bigserial PRIMARY KEY,
      event_id text NOT NULL UNIQUE,
      aggregate_id text,
      type text NOT NULL,
      envelope jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX IF NOT EXISTS outbox_aggregate_idx ON ${s}.outbox (aggregate_id, id) WHERE aggregate_id IS NOT NULL`,
    `CREATE TABLE IF NOT EXISTS ${s}.inbox (
      consumer_group text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, event_id)
    )`,
    `CREATE INDEX IF NOT EXISTS inbox_processed_at_idx ON ${s}.inbox (processed_at)`,
  ];
}

/**
 * Creates the outbox and inbox tables. Safe to run from every replica at start: an advisory lock
 * serializes concurrent runs, and every statement is idempotent.
 */
export async function migrateBus(pool: Pool, options: { schema?: string } = {}): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('interlink_bus_migrations'))");
    for (const sql of busMigrations(options.schema)) await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
