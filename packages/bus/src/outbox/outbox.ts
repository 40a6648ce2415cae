import { createEvent, type EventInput } from '../envelope/create-event.js';
import { encodeEvent } from '../envelope/encode-event.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import type { SchemaRegistry } from '../envelope/schema-registry.js';
import { DEFAULT_BUS_SCHEMA } from '../postgres/migrate-bus.js';
import type { Queryable } from '../postgres/queryable.js';
import { quoteIdent } from '../postgres/quote-ident.js';

export interface OutboxOptions {
  registry: SchemaRegistry;
  /** The CloudEvents `source` of the events added. */
  source: string;
  schema?: string;
  /** Largest encoded event accepted; match the transport's (default 1 MiB). */
  maxBytes?: number;
}

export interface Outbox {
  /**
   * Validates the event and writes it with the caller's client, inside the caller's transaction,
   * so it is published if and only if the state change commits. Wakes the relays on commit.
   */
  add<T>(tx: Queryable, input: EventInput<T>): Promise<EventEnvelope<T>>;
}

/** The LISTEN/NOTIFY channel of an outbox schema. */
export function outboxChannel(schema: string = DEFAULT_BUS_SCHEMA): string {
  return `${schema}_outbox`;
}

/** A transactional outbox on PostgreSQL (tables from `migrateBus`). */
export function createOutbox(options: OutboxOptions): Outbox {
  const schema = options.schema ?? DEFAULT_BUS_SCHEMA;
  const table = `${quoteIdent(schema)}.outbox`;
  const channel = outboxChannel(schema);
  return {
    async add(tx, input) {
      const event = createEvent(input, { registry: options.registry, source: options.source });
      // Refuse an oversized event now, in the caller's transaction, not later in the relay.
      encodeEvent(event, options.maxBytes);
      await tx.query(
        `INSERT INTO ${table} (event_id, aggregate_id, type, envelope) VALUES ($1, $2, $3, $4)`,
        [event.id, event.subject ?? null, event.type, JSON.stringify(event)],
      );
      // Delivered at commit, and not at all on rollback: exactly when there is something to relay.
      await tx.query('SELECT pg_notify($1, $2)', [channel, '']);
      return event;
    },
  };
}
