import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BusError } from '../errors/bus-error-codes.js';
import { dataSchemaUri, type EventEnvelope, EventEnvelopeSchema } from './event-envelope.js';
import type { SchemaRegistry } from './schema-registry.js';

const envelopeCheck = TypeCompiler.Compile(EventEnvelopeSchema);

/**
 * Parses a consumed message into an envelope at the newest schema version of its type (upcasting
 * older data). Every failure is a `BusError` that the bus dead-letters without retrying: a
 * malformed message does not become valid on the next attempt.
 */
export function decodeEvent(body: Uint8Array, registry: SchemaRegistry): EventEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    throw new BusError('ERR_BUS_MALFORMED_MESSAGE', 'Message body is not JSON');
  }
  if (!envelopeCheck.Check(parsed)) {
    const first = envelopeCheck.Errors(parsed).First();
    throw new BusError(
      'ERR_BUS_MALFORMED_MESSAGE',
      `Message is not a CloudEvents 1.0 envelope${first ? `: ${first.path || '/'} ${first.message}` : ''}`,
    );
  }
  const event = parsed as EventEnvelope;
  const { version, data } = registry.upcast(event.type, event.dataversion, event.data);
  if (version === event.dataversion) return event;
  return { ...event, data, dataversion: version, dataschema: dataSchemaUri(event.type, version) };
}
