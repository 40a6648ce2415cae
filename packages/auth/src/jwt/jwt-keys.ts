import { createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { assertStrongSecret, MIN_SECRET_BYTES } from '../secrets/assert-strong-secret.js';
import {
  isJwtAlgorithm,
  JWS_ALGORITHM_SPECS,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
  MIN_RSA_MODULUS_BITS,
} from './jws-algorithms.js';
import { createJwsSignatureCheck, type JwsSignatureCheck } from './jws-signature-check.js';
import { assertSoundRsaKey } from './rsa-key-checks.js';

export type { JwtAlgorithm } from './jws-algorithms.js';

/** HS256 secrets shorter than this are refused (RFC 7518 §3.2: at least the hash size). */
export const MIN_HS256_SECRET_BYTES = MIN_SECRET_BYTES;

/** A JWK as found in a key set, with the members that bind it (RFC 7517 §4). */
export type Jwk = JsonWebKey & { kid?: unknown; use?: unknown; key_ops?: unknown; alg?: unknown };

export interface JwtKeyInput {
  /** The `kid` tokens name; may be omitted when it is the only key. */
  kid?: string;
  /**
   * PEM public key, JWK, KeyObject, or for HS* the secret (string as UTF-8, or bytes). A JWK's own
   * `use`, `key_ops` and `alg` bind it: it must be for signature verification, and its `alg`
   * narrows the allowed algorithms.
   */
  key: string | Uint8Array | KeyObject | Jwk;
  /** Narrow the algorithms (default: every algorithm the key's type and size allow). */
  algorithms?: readonly JwtAlgorithm[];
  /** Set true when `key` is an HMAC secret, so a string is never mistaken for a PEM. */
  secret?: boolean;
}

/** A verification key bound to the algorithms its type allows, with a prepared check per algorithm. */
export interface JwtKey {
  kid: string | undefined;
  algorithms: readonly JwtAlgorithm[];
  /**
   * Checks a JWS signature over `signingInput` (`header.payload`) with `alg`; false when it does
   * not verify. Syntax and claims are the caller's ({@link verifyCompactJws}).
   * @throws AuthError `ERR_JWT_ALGORITHM` when `alg` is not bound to this key
   */
  verify(alg: JwtAlgorithm, signingInput: string, signature: Buffer): boolean;
}

function keyError(code: 'ERR_AUTH_CONFIG' | 'ERR_JWT_KEY_USE' | 'ERR_JWT_KEY_ALGORITHM', message: string) {
  return new AuthError(code, message);
}

function isKeyObject(key: unknown): key is KeyObject {
  return typeof key === 'object' && key !== null && 'type' in key && 'export' in key && 'equals' in key;
}

/** The algorithms a key may verify, from its type, curve and size: the binding that defeats confusion. */
function algorithmsForKey(key: KeyObject): JwtAlgorithm[] {
  const fits = (alg: JwtAlgorithm) => {
    const spec = JWS_ALGORITHM_SPECS[alg];
    if (key.type === 'secret') return spec.family === 'hmac' && key.symmetricKeySize! >= spec.hashBytes;
    const details = key.asymmetricKeyDetails;
    switch (key.asymmetricKeyType) {
      case 'rsa':
        return spec.family === 'rsa' || spec.family === 'rsa-pss';
      case 'rsa-pss':
        // A PSS-only key may pin its hash; then only the matching PS* fits.
        return spec.family === 'rsa-pss' && (!details?.hashAlgorithm || details.hashAlgorithm === spec.hash);
      case 'ec':
        return spec.family === 'ec' && details?.namedCurve === spec.curve;
      case 'ed25519':
        return spec.family === 'eddsa';
      default:
        return false;
    }
  };
  return JWT_ALGORITHMS.filter(fits);
}

/** RFC 7517 §4.2-4.4: a JWK published for encryption, or for another algorithm, binds that way. */
function jwkBinding(jwk: Jwk, name: string): readonly JwtAlgorithm[] | undefined {
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw keyError('ERR_JWT_KEY_USE', `JWT key ${name} has use ${String(jwk.use)}, not sig`);
  }
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) {
    throw keyError('ERR_JWT_KEY_USE', `JWT key ${name} has key_ops without verify`);
  }
  if (jwk.alg === undefined) return undefined;
  if (!isJwtAlgorithm(jwk.alg)) {
    throw keyError('ERR_JWT_KEY_ALGORITHM', `JWT key ${name} names the unsupported alg ${String(jwk.alg)}`);
  }
  return [jwk.alg];
}

function toKeyObject(input: JwtKeyInput): KeyObject {
  const { key } = input;
  if (isKeyObject(key)) return key.type === 'private' ? createPublicKey(key) : key;
  if (input.secret) {
    return createSecretKey(
      typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key as Uint8Array),
    );
  }
  if (typeof key === 'string') return createPublicKey(key);
  if (key instanceof Uint8Array) return createPublicKey(Buffer.from(key).toString('utf8'));
  if (key.kty === 'oct') {
    if (typeof key.k !== 'string') throw keyError('ERR_AUTH_CONFIG', 'oct JWK without k');
    return createSecretKey(Buffer.from(key.k, 'base64url'));
  }
  return createPublicKey({ key, format: 'jwk' });
}

/**
 * Prepares a JWT verification key. Its algorithms are those its type allows (RSA: RS256-512 and
 * PS256-512, P-256, P-384, P-521: ES256, ES384, ES512, Ed25519: EdDSA, a secret: each HS* whose hash is no longer
 * than it), narrowed by a JWK's `alg` and by `algorithms`, never widened. RSA keys must have at
 * least 2048 bits, an odd exponent >= 65537 and no ROCA fingerprint.
 * @throws AuthError `ERR_JWT_KEY_ALGORITHM` (no algorithm left, or one we do not support),
 *   `ERR_JWT_KEY_USE` (a JWK not meant for verification), `ERR_JWT_KEY_WEAK` (a weak RSA key),
 *   `ERR_AUTH_CONFIG` (unreadable key, secret under 32 bytes or well known)
 */
export function createJwtKey(input: JwtKeyInput): JwtKey {
  const name = input.kid ?? '(no kid)';
  const bound =
    typeof input.key === 'object' && !isKeyObject(input.key) && !(input.key instanceof Uint8Array)
      ? jwkBinding(input.key, name)
      : undefined;
  for (const alg of input.algorithms ?? []) {
    if (!isJwtAlgorithm(alg)) throw keyError('ERR_JWT_KEY_ALGORITHM', `algorithm ${alg} is not supported`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = toKeyObject(input);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw keyError('ERR_AUTH_CONFIG', `JWT key ${name} is unreadable`);
  }
  if (keyObject.type === 'secret') assertStrongSecret(`HMAC key ${name}`, keyObject.export());
  if (keyObject.asymmetricKeyType === 'rsa' || keyObject.asymmetricKeyType === 'rsa-pss') {
    assertSoundRsaKey(keyObject, name, MIN_RSA_MODULUS_BITS);
  }
  const algorithms = algorithmsForKey(keyObject).filter(
    (alg) => (!bound || bound.includes(alg)) && (!input.algorithms || input.algorithms.includes(alg)),
  );
  if (algorithms.length === 0) {
    throw keyError('ERR_JWT_KEY_ALGORITHM', `JWT key ${name} fits none of the allowed algorithms`);
  }
  const checks = new Map<JwtAlgorithm, JwsSignatureCheck>(
    algorithms.map((alg) => [alg, createJwsSignatureCheck(keyObject, alg)]),
  );
  return {
    kid: input.kid,
    algorithms,
    verify(alg, signingInput, signature) {
      const check = checks.get(alg);
      if (!check) throw new AuthError('ERR_JWT_ALGORITHM', 'algorithm not allowed for this key');
      return check(signingInput, signature);
    },
  };
}
