import { randomUUID } from 'node:crypto';
import { currentContext, formatTraceparent, formatTracestate } from '@interlink/core';
import { BusError } from '../errors/bus-error-codes.js';
import { assertTopic, assertWord } from '../transport/topic.js';
import type { EventClock } from './event-clock.js';
import { dataSchemaUri, type EventEnvelope } from './event-envelope.js';
import type { SchemaRegistry } from './schema-registry.js';

/** What a producer gives to publish an event; the rest of the envelope is filled in. */
export interface EventInput<T = unknown> {
  type: string;
  data: T;
  /** The aggregate id (an order id); events of one subject keep their order. */
  subject?: string;
  /** Defaults to the tenant of the current request context (from the verified principal). */
  tenantId?: string;
  /** The user the event concerns; routes it to that user's realtime stream. */
  userId?: string;
  /** Per-aggregate sequence number. */
  sequence?: number;
  /** Defaults to a random UUID; set it to make a retried publish a duplicate the broker drops. */
  id?: string;
  /** Defaults to now. */
  time?: Date | string;
  /** Defaults to the type's newest registered version. */
  version?: number;
}

export interface CreateEventOptions {
  registry: SchemaRegistry;
  /** The CloudEvents `source`: this service, e.g. `/order-service`. */
  source: string;
  /** Stamps an event given no `time`; default `new Date().toISOString()` (see `createEventClock`). */
  clock?: EventClock;
}

/**
 * Builds and validates an envelope: CloudEvents 1.0 attributes, the tenant and trace of the current
 * request context, and the schema version. Throws `ERR_BUS_*` at once for an unknown type, invalid
 * data or a type/tenant/user that cannot be carried in a subject, so nothing invalid reaches a broker.
 */
export function createEvent<T>(input: EventInput<T>, options: CreateEventOptions): EventEnvelope<T> {
  assertTopic(input.type);
  const { registry } = options;
  const version = input.version ?? registry.latestVersion(input.type);
  registry.validate(input.type, version, input.data);
  const ctx = currentContext();
  const tenantId = input.tenantId ?? ctx?.principal?.tenantId ?? ctx?.tenantId;
  if (tenantId !== undefined) assertWord(tenantId, 'tenant id');
  if (input.userId !== undefined) assertWord(input.userId, 'user id');
  const time = input.time === undefined ? (options.clock?.() ?? new Date().toISOString()) : isoTime(input);
  const event: EventEnvelope<T> = {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: options.source,
    type: input.type,
    time,
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(input.type, version),
    dataversion: version,
    data: input.data,
  };
  if (input.subject !== undefined) event.subject = input.subject;
  if (tenantId !== undefined) event.tenantid = tenantId;
  if (input.userId !== undefined) event.userid = input.userId;
  if (input.sequence !== undefined) event.sequence = input.sequence;
  if (ctx) {
    event.traceparent = formatTraceparent(ctx.trace.traceId, ctx.trace.spanId, ctx.trace.flags);
    if (ctx.trace.tracestate && ctx.trace.tracestate.length > 0)
      event.tracestate = formatTracestate(ctx.trace.tracestate);
  }
  return event;
}

/** The producer's own `time`, as RFC 3339 UTC; `ERR_BUS_EVENT_INVALID` when it is no date. */
function isoTime(input: EventInput): string {
  const time = new Date(input.time!);
  if (Number.isNaN(time.getTime())) {
    throw new BusError('ERR_BUS_EVENT_INVALID', `Event ${input.type} has an invalid time`, {
      extensions: { type: input.type, errors: [{ path: '/time', message: 'Expected a date' }] },
    });
  }
  return time.toISOString();
}
