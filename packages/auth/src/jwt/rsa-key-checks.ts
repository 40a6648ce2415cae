import type { KeyObject } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { hasRocaFingerprint } from './roca-fingerprint.js';

/** Smallest RSA public exponent accepted: what every identity provider uses (F4). */
export const MIN_RSA_PUBLIC_EXPONENT = 65537n;

/**
 * Refuses RSA public keys no honest issuer publishes. The exponent must be odd and >= 65537: e = 1
 * makes every signature verify (s^1 = s), and e = 3, though legal, turns any slack in PKCS#1 v1.5
 * padding checks into forgeries (Bleichenbacher 2006); real IdPs use 65537. The modulus must have
 * `minBits` and no ROCA fingerprint ({@link hasRocaFingerprint}).
 * @throws AuthError `ERR_JWT_KEY_WEAK`
 */
export function assertSoundRsaKey(key: KeyObject, name: string, minBits: number): void {
  const details = key.asymmetricKeyDetails;
  if ((details?.modulusLength ?? 0) < minBits) {
    throw new AuthError('ERR_JWT_KEY_WEAK', `RSA key ${name}: keys must be at least ${minBits} bits`);
  }
  const e = details?.publicExponent ?? 0n;
  if (e < MIN_RSA_PUBLIC_EXPONENT || e % 2n === 0n) {
    throw new AuthError('ERR_JWT_KEY_WEAK', `RSA key ${name}: public exponent must be odd and >= 65537`);
  }
  if (hasRocaFingerprint(rsaModulus(key))) {
    throw new AuthError(
      'ERR_JWT_KEY_WEAK',
      `RSA key ${name}: modulus has the ROCA fingerprint (CVE-2017-15361)`,
    );
  }
}

/** One DER element: where its content starts and ends. */
function derElement(der: Buffer, offset: number, tag: number): { start: number; end: number } {
  if (der[offset] !== tag) throw new AuthError('ERR_AUTH_CONFIG', 'RSA key is not DER as expected');
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  return { start, end: start + length };
}

/**
 * The modulus of an RSA or RSA-PSS public key. Node exports RSA-PSS keys neither as JWK nor as
 * PKCS#1, so it is read from the SPKI: SEQUENCE { algorithm, BIT STRING { SEQUENCE { n, e } } }.
 */
function rsaModulus(key: KeyObject): bigint {
  const der = key.export({ type: 'spki', format: 'der' });
  const spki = derElement(der, 0, 0x30);
  const algorithm = derElement(der, spki.start, 0x30);
  const bits = derElement(der, algorithm.end, 0x03);
  const rsaPublicKey = derElement(der, bits.start + 1, 0x30); // +1: the unused-bits byte
  const n = derElement(der, rsaPublicKey.start, 0x02);
  return BigInt(`0x${der.subarray(n.start, n.end).toString('hex')}`);
}
