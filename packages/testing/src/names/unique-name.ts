import { randomBytes } from 'node:crypto';

/**
 * 8 random hex characters for the streams, queues, key prefixes and schemas a test file owns, so
 * parallel files and earlier runs never share broker state. Hex keeps a name valid for NATS
 * subjects and streams, RabbitMQ queues, Redis keys and PostgreSQL identifiers alike.
 */
export function uniqueId(): string {
  return randomBytes(4).toString('hex');
}

/** `prefix` followed by a {@link uniqueId}: `uniqueName('bus_outbox_')` -> `bus_outbox_3f9a0c1d`. */
export function uniqueName(prefix: string): string {
  return `${prefix}${uniqueId()}`;
}
