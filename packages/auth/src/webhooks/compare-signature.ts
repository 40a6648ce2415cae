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

/** A webhook's body as received: HMACs take either form as it is (a string as UTF-8). */
export type RawBody = string | Uint8Array;

/** Webhook secrets: several while a provider secret rotates. */
export function secretList(secret: string | readonly string[]): readonly string[] {
  return typeof secret === 'string' ? [secret] : secret;
}
