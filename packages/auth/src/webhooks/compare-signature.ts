import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two signature strings in constant time whatever their lengths: both are hashed first,
 * so neither the content nor the length of the expected value leaks through timing.
 */
export function sameSignature(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export type RawBody = string | Uint8Array;

export function bodyBuffer(body: RawBody): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

/** Webhook secrets: several while a provider secret rotates. */
export function secretList(secret: string | readonly string[]): readonly string[] {
  return typeof secret === 'string' ? [secret] : secret;
}
