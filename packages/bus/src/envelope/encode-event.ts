import { BusError } from '../errors/bus-error-codes.js';
import type { EventEnvelope } from './event-envelope.js';

/** 1 MiB: NATS's default max_payload, and well under RabbitMQ's 128 MiB. */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

/** Throws `ERR_BUS_MESSAGE_TOO_LARGE` when the encoded event `type` is above `maxBytes`. */
export function assertEventSize(type: string, bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) {
    throw new BusError(
      'ERR_BUS_MESSAGE_TOO_LARGE',
      `Event ${type} is ${bytes} bytes; the limit is ${maxBytes}`,
      {
        extensions: { type, bytes, maxBytes },
      },
    );
  }
}

/**
 * Serializes an envelope as structured-mode CloudEvents JSON. Throws `ERR_BUS_MESSAGE_TOO_LARGE`
 * above `maxBytes`, before anything is sent, so an oversized event is never half-published.
 */
export function encodeEvent(event: EventEnvelope, maxBytes: number = DEFAULT_MAX_EVENT_BYTES): Buffer {
  const body = Buffer.from(JSON.stringify(event), 'utf8');
  assertEventSize(event.type, body.length, maxBytes);
  return body;
}
