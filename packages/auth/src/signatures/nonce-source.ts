import { randomBytes } from 'node:crypto';

/** 22 base64url characters: 132 random bits. */
const NONCE_CHARS = 22;
/** A multiple of 3, so that every base64url character of the pool carries 6 random bits. */
const POOL_BYTES = 4092;

/**
 * A source of random nonces (22 base64url characters, 132 bits) cut from a private pool of
 * cryptographically random bytes, base64url-encoded once per refill (248 nonces): a nonce is then a
 * substring, not a Buffer-to-string conversion of its own. Each character is handed out once. Each
 * signer owns one, so no other code shares its bytes.
 */
export function createNonceSource(): () => string {
  let pool = '';
  let offset = 0;
  return () => {
    if (offset + NONCE_CHARS > pool.length) {
      pool = randomBytes(POOL_BYTES).toString('base64url');
      offset = 0;
    }
    const nonce = pool.slice(offset, offset + NONCE_CHARS);
    offset += NONCE_CHARS;
    return nonce;
  };
}
