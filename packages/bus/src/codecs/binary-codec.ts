import { dataSchemaUri, type EventEnvelope } from '../envelope/event-envelope.js';
import { BusError } from '../errors/bus-error-codes.js';
import { type EventCodec, jsonBody, structuredCodec } from './event-codec.js';

/** The CloudEvents AMQP binding's application-property prefix (RabbitMQ header table). */
export const AMQP_ATTRIBUTE_PREFIX = 'cloudEvents:';
/** The CloudEvents NATS binding's header prefix. */
export const NATS_ATTRIBUTE_PREFIX = 'ce-';

// Attribute header prefixes a consumer recognises, as the transports deliver them (lower-cased).
// `cloudEvents_` is the spelling the AMQP binding allows where `:` cannot be used (JMS names).
const READ_PREFIXES = ['cloudevents:', 'cloudevents_', 'ce-'] as const;
const INTEGER_ATTRIBUTES = new Set(['dataversion', 'sequence']);

function prefixFor(transport: string): string | undefined {
  if (transport === 'rabbitmq') return AMQP_ATTRIBUTE_PREFIX;
  if (transport === 'redis') return undefined; // no headers: structured mode stays
  return NATS_ATTRIBUTE_PREFIX; // NATS and the in-memory transport
}

// The attributes every envelope may carry, with their header names per prefix computed once
// instead of a string concatenation per attribute per message. The required ones come first.
const REQUIRED = ['specversion', 'id', 'source', 'type', 'time', 'dataversion'] as const;
const OPTIONAL = ['subject', 'tenantid', 'userid', 'sequence', 'traceparent', 'tracestate'] as const;
const NOT_HEADERS = new Set<string>([...REQUIRED, ...OPTIONAL, 'data', 'datacontenttype', 'dataschema']);
const namesFor = (prefix: string, attributes: readonly string[]) =>
  attributes.map((attribute) => [attribute, prefix + attribute] as const);
const headerNames = new Map(
  [AMQP_ATTRIBUTE_PREFIX, NATS_ATTRIBUTE_PREFIX].map((prefix) => [
    prefix,
    { required: namesFor(prefix, REQUIRED), optional: namesFor(prefix, OPTIONAL) },
  ]),
);

// The required attributes as one fixed-shape literal per prefix: what every envelope the bus
// builds carries, written without a loop of keyed stores per message.
function amqpRequired(e: EventEnvelope): Record<string, string> {
  return {
    'cloudEvents:specversion': e.specversion,
    'cloudEvents:id': e.id,
    'cloudEvents:source': e.source,
    'cloudEvents:type': e.type,
    'cloudEvents:time': e.time,
    'cloudEvents:dataversion': String(e.dataversion),
  };
}
function natsRequired(e: EventEnvelope): Record<string, string> {
  return {
    'ce-specversion': e.specversion,
    'ce-id': e.id,
    'ce-source': e.source,
    'ce-type': e.type,
    'ce-time': e.time,
    'ce-dataversion': String(e.dataversion),
  };
}
/** True when the required attributes have their schema's types (an envelope from `createEvent`). */
function wellFormed(e: EventEnvelope): boolean {
  return (
    typeof e.specversion === 'string' &&
    typeof e.id === 'string' &&
    typeof e.source === 'string' &&
    typeof e.type === 'string' &&
    typeof e.time === 'string' &&
    typeof e.dataversion === 'number'
  );
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/**
 * CloudEvents binary content mode: the context attributes travel as headers (AMQP application
 * properties `cloudEvents:*`, NATS headers `ce-*`) and the body is the event's data alone, so a
 * broker-side router or a consumer can read the type, id and tenant without parsing the body.
 * On Redis pub/sub, which has no headers, it writes structured mode.
 */
export const binaryCodec: EventCodec = {
  name: 'cloudevents-binary',
  legacy: false,
  encode(event, context) {
    const prefix = prefixFor(context.transport);
    if (prefix === undefined) return structuredCodec.encode(event, context);
    // On AMQP the content type is a message property: given apart, so the transport sends the
    // header table as it is instead of copying it without `content-type`.
    const amqp = prefix === AMQP_ATTRIBUTE_PREFIX;
    const names = headerNames.get(prefix)!;
    const attributes = event as unknown as Record<string, unknown>;
    let headers: Record<string, string>;
    if (wellFormed(event)) headers = amqp ? amqpRequired(event) : natsRequired(event);
    else {
      headers = {};
      for (const [attribute, name] of names.required) {
        const value = scalar(attributes[attribute]);
        if (value !== undefined) headers[name] = value;
      }
    }
    if (!amqp) headers['content-type'] = event.datacontenttype;
    for (const [attribute, name] of names.optional) {
      const value = scalar(attributes[attribute]);
      if (value !== undefined) headers[name] = value;
    }
    // `dataschema` is left out when it is the one its type and version name (always, for events
    // this bus builds): each header costs the broker and the client, and the reader derives it.
    if (event.dataschema !== dataSchemaUri(event.type, event.dataversion)) {
      headers[`${prefix}dataschema`] = event.dataschema;
    }
    // Other extension attributes (a seed's `correlationid`), rare: found by name.
    for (const key in attributes) {
      if (NOT_HEADERS.has(key)) continue;
      const value = scalar(attributes[key]);
      if (value !== undefined) headers[prefix + key] = value;
    }
    const body = jsonBody(event.type, event.data, context.maxBytes);
    return amqp ? { body, headers, contentType: event.datacontenttype } : { body, headers };
  },
};

/** The attribute prefix of a binary-mode message's headers, or undefined for any other message. */
export function binaryPrefix(headers: Record<string, string>): string | undefined {
  for (const prefix of READ_PREFIXES) if (headers[`${prefix}specversion`] !== undefined) return prefix;
  return undefined;
}

/**
 * The envelope of a binary-mode message (before its schema is checked): attributes from the
 * headers under `prefix`, data from the JSON body. `ERR_BUS_UNSUPPORTED_SPECVERSION` for a
 * specversion other than 1.0.
 */
export function readBinaryEvent(
  headers: Record<string, string>,
  prefix: string,
  data: () => unknown,
): Partial<EventEnvelope> {
  const specversion = headers[`${prefix}specversion`];
  if (specversion !== '1.0') {
    throw new BusError(
      'ERR_BUS_UNSUPPORTED_SPECVERSION',
      `Binary-mode message has ${prefix}specversion ${JSON.stringify(specversion)}; only 1.0 is read`,
    );
  }
  const contentType = headers['content-type'];
  if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new BusError('ERR_BUS_MALFORMED_MESSAGE', `Binary-mode data is ${contentType}, not JSON`);
  }
  const event: Record<string, unknown> = { datacontenttype: 'application/json' };
  for (const name in headers) {
    if (!name.startsWith(prefix)) continue;
    const attribute = name.slice(prefix.length);
    const value = headers[name]!;
    event[attribute] = INTEGER_ATTRIBUTES.has(attribute) && /^\d+$/.test(value) ? Number(value) : value;
  }
  if (
    event.dataschema === undefined &&
    typeof event.type === 'string' &&
    typeof event.dataversion === 'number'
  )
    event.dataschema = dataSchemaUri(event.type, event.dataversion);
  event.data = data();
  return event as Partial<EventEnvelope>;
}
