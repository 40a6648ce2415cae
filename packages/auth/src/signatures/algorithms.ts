import { constants, createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto';
import { createHmacSha256Base64 } from './hmac-sha256.js';

/** RFC 9421 §6.2 algorithms this package verifies. */
export type SignatureAlgorithm =
  | 'hmac-sha256'
  | 'ed25519'
  | 'ecdsa-p256-sha256'
  | 'rsa-pss-sha512'
  | 'rsa-v1_5-sha256';

/** The algorithms our signer produces; the others are accepted for interoperability only. */
export type SigningAlgorithm = 'hmac-sha256' | 'ed25519';

export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  'hmac-sha256',
  'ed25519',
  'ecdsa-p256-sha256',
  'rsa-pss-sha512',
  'rsa-v1_5-sha256',
];

export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);
}

/** Signs a signature base (RFC 9421 §3.3) with a key of the algorithm's type. */
export function signBase(alg: SigningAlgorithm, key: KeyObject, base: string): Buffer {
  if (alg === 'hmac-sha256') return createHmac('sha256', key).update(base).digest();
  return sign(null, Buffer.from(base), key);
}

/**
 * {@link signBase} in base64, as the `Signature` header carries it. An HMAC digest straight to a
 * string skips the Buffer the native side would allocate for it, a measurable part of signing.
 */
export function signBaseBase64(alg: SigningAlgorithm, key: KeyObject, base: string): string {
  if (alg === 'hmac-sha256') return createHmac('sha256', key).update(base).digest('base64');
  return sign(null, Buffer.from(base), key).toString('base64');
}

/**
 * Each secret key's HMAC with its padded forms made once (hmac-sha256.ts, about half the cost of
 * `createHmac` per call), kept as long as the key object lives: a keyring's keys verify every
 * request. Held weakly, so a key dropped from a keyring takes its padded forms with it.
 */
const hmacByKey = new WeakMap<KeyObject, (message: string) => string>();

function hmacSha256Base64(key: KeyObject, base: string): string {
  if (key.type !== 'secret') return createHmac('sha256', key).update(base).digest('base64');
  let hmac = hmacByKey.get(key);
  if (hmac === undefined) {
    hmac = createHmacSha256Base64(key);
    hmacByKey.set(key, hmac);
  }
  return hmac(base);
}

/**
 * Verifies `signature` over `base`. Never throws on a bad signature (wrong length, garbage bytes):
 * it returns false, so a forged header is a 401 and not a crash.
 */
export function verifyBase(
  alg: SignatureAlgorithm,
  key: KeyObject,
  base: string,
  signature: Uint8Array,
): boolean {
  try {
    if (alg === 'hmac-sha256') {
      // Constant-time over the bytes. The digest goes through base64 because a string result
      // skips the Buffer the native side would allocate for it; decoding makes a pooled one.
      const expected = Buffer.from(hmacSha256Base64(key, base), 'base64');
      return signature.length === expected.length && timingSafeEqual(expected, signature);
    }
    const data = Buffer.from(base);
    switch (alg) {
      case 'ed25519':
        return verify(null, data, key, signature);
      case 'ecdsa-p256-sha256':
        // RFC 9421 §3.3.4: r || s, 64 bytes, not DER.
        return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'rsa-pss-sha512':
        return verify(
          'sha512',
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 },
          signature,
        );
      case 'rsa-v1_5-sha256':
        return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
