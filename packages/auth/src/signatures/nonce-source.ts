import { createRandomPool } from '@interlink/core/internal';

const NONCE_BYTES = 16;

/**
 * A source of 128-bit random nonces (22 base64url characters) drawn from a private pool of
 * cryptographically random bytes (256 nonces per refill). Each signer owns one, so no other code
 * shares its bytes.
 */
export function createNonceSource(): () => string {
  const random = createRandomPool(NONCE_BYTES * 256);
  return () => random(NONCE_BYTES, 'base64url');
}
