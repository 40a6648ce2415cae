import { currentEnvelope, parseJsonBody } from '../envelope/decode-event.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import type { SchemaRegistry } from '../envelope/schema-registry.js';
import { BusError } from '../errors/bus-error-codes.js';
import { binaryCodec, binaryPrefix, readBinaryEvent } from './binary-codec.js';
import { structuredCodec } from './event-codec.js';
import type { LegacyDelivery, LegacyFormat } from './legacy-format.js';
import { record } from './legacy-format.js';

export interface ReadDeliveryOptions {
  registry: SchemaRegistry;
  /** Larger bodies are refused (`ERR_BUS_MESSAGE_TOO_LARGE`) before they are parsed. */
  maxBytes: number;
  /** Seed formats accepted besides CloudEvents, tried in order; none by default. */
  legacy: readonly LegacyFormat[];
}

/** A consumed event and the wire format it came in. */
export interface ReadEvent {
  event: EventEnvelope;
  /** `cloudevents-structured`, `cloudevents-binary` or a legacy format's name. */
  format: string;
  legacy: boolean;
}

/**
 * Reads a delivery in whichever format it came, without being told: CloudEvents binary mode (its
 * `cloudEvents:` / `ce-` attribute headers), structured mode (a body with `specversion`), or one of
 * the accepted legacy formats; then checks the envelope and upcasts its data to the newest schema
 * version. Every failure is a `BusError` no redelivery can fix, so the bus dead-letters it at once.
 */
export function readDelivery(delivery: LegacyDelivery, options: ReadDeliveryOptions): ReadEvent {
  const { body, headers } = delivery;
  const { registry } = options;
  if (body.byteLength > options.maxBytes) {
    throw new BusError(
      'ERR_BUS_MESSAGE_TOO_LARGE',
      `Message is ${body.byteLength} bytes; this consumer reads at most ${options.maxBytes}`,
      { extensions: { bytes: body.byteLength, maxBytes: options.maxBytes } },
    );
  }
  const prefix = binaryPrefix(headers);
  if (prefix !== undefined) {
    const candidate = readBinaryEvent(headers, prefix, () => parseJsonBody(body));
    return {
      event: currentEnvelope(candidate, registry, 'a CloudEvents 1.0 binary-mode message'),
      format: binaryCodec.name,
      legacy: false,
    };
  }
  const parsed = parseJsonBody(body);
  const object = record(parsed);
  if (object !== undefined && 'specversion' in object) {
    if (object.specversion !== '1.0') {
      throw new BusError(
        'ERR_BUS_UNSUPPORTED_SPECVERSION',
        `Message has specversion ${JSON.stringify(object.specversion)}; only 1.0 is read`,
      );
    }
    return {
      event: currentEnvelope(object, registry, 'a CloudEvents 1.0 envelope'),
      format: structuredCodec.name,
      legacy: false,
    };
  }
  if (object !== undefined) {
    for (const format of options.legacy) {
      if (!format.matches(object, headers)) continue;
      return {
        event: currentEnvelope(format.read(object, delivery), registry, `a ${format.name} event`),
        format: format.name,
        legacy: true,
      };
    }
  }
  const accepted = options.legacy.map((f) => f.name);
  throw new BusError(
    'ERR_BUS_MALFORMED_MESSAGE',
    `Message is not a CloudEvents 1.0 envelope${accepted.length > 0 ? ` nor a ${accepted.join(' or ')} event` : ' (no legacy format is accepted)'}`,
  );
}
