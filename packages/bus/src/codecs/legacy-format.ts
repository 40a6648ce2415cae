import { createHash } from 'node:crypto';
import { dataSchemaUri, type EventEnvelope } from '../envelope/event-envelope.js';
import { BusError } from '../errors/bus-error-codes.js';
import type { EventCodec } from './event-codec.js';

/** What a legacy reader sees of a delivery besides its parsed body. */
export interface LegacyDelivery {
  /** The broker's message id (`Nats-Msg-Id`, AMQP `message-id`); empty when there is none. */
  id: string;
  headers: Record<string, string>;
  /** The raw body, for a content id when the format carries none. */
  body: Uint8Array;
  /**
   * What the transport's subject scheme read from the message's subject, on positioned reads (a
   * reader whose formats carry no scope of their own, like seed 003's user events, routes by it).
   */
  tenantId?: string;
  userId?: string;
  topic?: string;
}

/**
 * A seed's wire format: a codec a publisher can write with, and a reader that recognises a parsed
 * body in that shape and upcasts it into the envelope. Each is off unless a bus lists it.
 */
export interface LegacyFormat extends EventCodec {
  /** True when `body` (already parsed, not a CloudEvents envelope) is in this format. */
  matches(body: Record<string, unknown>, headers: Record<string, string>): boolean;
  /**
   * The envelope of a message in this format, before its schema is checked; throws
   * `ERR_BUS_MALFORMED_MESSAGE` for a message that cannot be one (no type, a bad time).
   */
  read(body: Record<string, unknown>, delivery: LegacyDelivery): EventEnvelope;
}

/** A non-empty string, or a finite number as a string; undefined otherwise. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A plain object, or undefined. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function malformed(format: string, what: string): BusError {
  return new BusError('ERR_BUS_MALFORMED_MESSAGE', `${format} message ${what}`);
}

/** A legacy message's time: an ISO string or epoch milliseconds; now when it has none. */
function legacyTime(format: string, value: unknown): string {
  if (value === undefined || value === null) return new Date().toISOString();
  const time = typeof value === 'number' || typeof value === 'string' ? new Date(value) : undefined;
  if (!time || Number.isNaN(time.getTime())) throw malformed(format, `has an invalid timestamp`);
  return time.toISOString();
}

/** A legacy message's schema version: an integer (or integer string); 1 when it has none. */
function legacyVersion(format: string, value: unknown): number {
  if (value === undefined || value === null) return 1;
  const version = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw malformed(format, `has an invalid version ${JSON.stringify(value)}`);
  return version;
}

/** The parts of an envelope a legacy reader found; the rest is filled in by {@link legacyEnvelope}. */
export interface LegacyFields {
  type: unknown;
  /** Candidate ids, first present wins; without any, a hash of the body (stable across redeliveries). */
  ids: unknown[];
  time: unknown;
  version: unknown;
  source: unknown;
  data: unknown;
  subject?: unknown;
  sequence?: unknown;
  tenantId?: unknown;
  userId?: unknown;
  traceparent?: unknown;
  /** Other extension attributes to carry (lower-case names). */
  extensions?: Record<string, string | undefined>;
}

/** Builds the envelope of a legacy message from its fields (schema checks come after). */
export function legacyEnvelope(format: string, fields: LegacyFields, body: Uint8Array): EventEnvelope {
  const type = text(fields.type);
  if (type === undefined || typeof fields.type !== 'string') throw malformed(format, 'has no type');
  const version = legacyVersion(format, fields.version);
  const id =
    fields.ids.map(text).find((candidate) => candidate !== undefined) ??
    `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
  const event: EventEnvelope = {
    specversion: '1.0',
    id,
    source: text(fields.source) ?? `/${format}`,
    type,
    time: legacyTime(format, fields.time),
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(type, version),
    dataversion: version,
    data: fields.data,
  };
  const subject = text(fields.subject);
  if (subject !== undefined) event.subject = subject;
  if (typeof fields.sequence === 'number' && Number.isInteger(fields.sequence))
    event.sequence = fields.sequence;
  const tenantId = text(fields.tenantId);
  if (tenantId !== undefined) event.tenantid = tenantId;
  const userId = text(fields.userId);
  if (userId !== undefined) event.userid = userId;
  const traceparent = text(fields.traceparent);
  if (traceparent !== undefined) event.traceparent = traceparent;
  for (const [name, value] of Object.entries(fields.extensions ?? {})) {
    if (value !== undefined) (event as Record<string, unknown>)[name] = value;
  }
  return event;
}

/** Adds the optional fields an envelope has to `out` under the names a seed shape uses. */
export function withOptional(
  out: Record<string, unknown>,
  names: Record<string, unknown>,
): Record<string, unknown> {
  for (const [name, value] of Object.entries(names)) if (value !== undefined) out[name] = value;
  return out;
}
