import { assertEventSize, encodeEvent } from '../envelope/encode-event.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';

/** What a codec knows about the transport it writes for. */
export interface EncodeContext {
  /** The transport's name: `nats`, `rabbitmq`, `redis`, `memory`. */
  transport: string;
  /** The transport's largest message; a codec throws `ERR_BUS_MESSAGE_TOO_LARGE` above it. */
  maxBytes: number;
}

/** An event as it goes on the wire: the body and the headers the transport sends with it. */
export interface EncodedEvent {
  body: Uint8Array;
  headers: Record<string, string>;
  /** The body's media type, when it is not in `headers` (see `OutgoingMessage.contentType`). */
  contentType?: string;
}

/**
 * How a publisher writes events: CloudEvents structured (the default) or binary mode, or a seed's
 * own shape during a migration (`legacy`: counted in `interlink_bus_legacy_total`).
 */
export interface EventCodec {
  /** The `format` label of the legacy counter. */
  readonly name: string;
  /** True for a seed's wire format, which a migration retires. */
  readonly legacy: boolean;
  encode(event: EventEnvelope, context: EncodeContext): EncodedEvent;
}

const STRUCTURED_HEADERS = { 'content-type': 'application/cloudevents+json' } as const;

/** CloudEvents structured content mode: the whole envelope as JSON in the body. */
export const structuredCodec: EventCodec = {
  name: 'cloudevents-structured',
  legacy: false,
  encode: (event, { maxBytes }) => ({
    body: encodeEvent(event, maxBytes),
    headers: { ...STRUCTURED_HEADERS },
  }),
};

/** A JSON body for a codec that writes its own shape, within `maxBytes`. */
export function jsonBody(type: string, value: unknown, maxBytes: number): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  assertEventSize(type, body.length, maxBytes);
  return body;
}
