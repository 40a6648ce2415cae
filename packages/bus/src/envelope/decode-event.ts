import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BusError } from '../errors/bus-error-codes.js';
import { dataSchemaUri, type EventEnvelope, EventEnvelopeSchema } from './event-envelope.js';
import type { SchemaRegistry } from './schema-registry.js';

const envelopeCheck = TypeCompiler.Compile(EventEnvelopeSchema);

/** Parses a message body as JSON; `ERR_BUS_MALFORMED_MESSAGE` (not retryable) when it is not. */
export function parseJsonBody(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    throw new BusError('ERR_BUS_MALFORMED_MESSAGE', 'Message body is not JSON');
  }
}

/**
 * Checks that `candidate` is an envelope (`what` names the format in the error) and brings its data
 * to the newest schema version of its type, validating it on the way.
 */
export function currentEnvelope(candidate: unknown, registry: SchemaRegistry, what: string): EventEnvelope {
  if (!envelopeCheck.Check(candidate)) {
    const first = envelopeCheck.Errors(candidate).First();
    throw new BusError(
      'ERR_BUS_MALFORMED_MESSAGE',
      `Message is not ${what}${first ? `: ${first.path || '/'} ${first.message}` : ''}`,
    );
  }
  const event = candidate as EventEnvelope;
  const { version, data } = registry.upcast(event.type, event.dataversion, event.data);
  if (version === event.dataversion) return event;
  return { ...event, data, dataversion: version, dataschema: dataSchemaUri(event.type, version) };
}

/**
 * Parses a consumed message into an envelope at the newest schema version of its type (upcasting
 * older data). Every failure is a `BusError` that the bus dead-letters without retrying: a
 * malformed message does not become valid on the next attempt.
 */
export function decodeEvent(body: Uint8Array, registry: SchemaRegistry): EventEnvelope {
  return currentEnvelope(parseJsonBody(body), registry, 'a CloudEvents 1.0 envelope');
}
