import { randomBytes } from 'node:crypto';

const NONCE_BYTES = 16;
// 256 nonces per refill: one randomBytes call (a few µs, much of it fixed cost) per 256 signatures
// instead of one per signature, the trick Node's randomUUID uses. Each byte is handed out once.
const POOL_BYTES = NONCE_BYTES * 256;

/**
 * A source of 128-bit random nonces (22 base64url characters) drawn from a private pool of
 * cryptographically random bytes. Each signer owns one.
 */
export function createNonceSource(): () => string {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + NONCE_BYTES > pool.length) {
      pool = randomBytes(POOL_BYTES);
      offset = 0;
    }
    const nonce = pool.toString('base64url', offset, offset + NONCE_BYTES);
    offset += NONCE_BYTES;
    return nonce;
  };
}
