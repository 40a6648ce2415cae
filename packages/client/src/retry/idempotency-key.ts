import { randomUUID } from 'node:crypto';
import { ClientError } from '../errors/client-error.js';

/** The header of the IETF `Idempotency-Key` draft (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * A new key for one logical write, as the draft's Structured Field string (`"…"`). It is made once
 * per call and sent unchanged on every attempt, so the server applies the write at most once.
 */
export function newIdempotencyKey(): string {
  return `"${randomUUID()}"`;
}

/** Quotes a caller-given key as a Structured Field string unless it already is one. */
export function formatIdempotencyKey(key: string): string {
  if (/^"[\x20-\x21\x23-\x5b\x5d-\x7e]*"$/.test(key)) return key;
  if (!/^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,255}$/.test(key)) {
    throw new ClientError(
      'ERR_CLIENT_REQUEST_INVALID',
      'An idempotency key must be 1-255 printable ASCII characters without quotes or backslashes',
    );
  }
  return `"${key}"`;
}
