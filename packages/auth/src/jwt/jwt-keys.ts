import { createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createVerifier } from 'fast-jwt';
import { AuthError } from '../errors/auth-error.js';
import { assertStrongSecret, MIN_SECRET_BYTES } from '../secrets/assert-strong-secret.js';

/** JWS algorithms a user or service token may use. `none` and everything else are refused. */
export type JwtAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA' | 'HS256';

/** HS256 secrets shorter than this are refused (RFC 7518 §3.2: at least the hash size). */
export const MIN_HS256_SECRET_BYTES = MIN_SECRET_BYTES;

/** The algorithms a key of each type may verify: the binding that defeats algorithm confusion. */
function algorithmsForKey(key: KeyObject): JwtAlgorithm[] {
  if (key.type === 'secret') return ['HS256'];
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'PS256'];
    case 'rsa-pss':
      return ['PS256'];
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? ['ES256'] : [];
    case 'ed25519':
      return ['EdDSA'];
    default:
      return [];
  }
}

export interface JwtKeyInput {
  /** The `kid` tokens name; may be omitted when it is the only key. */
  kid?: string;
  /** PEM public key, JWK, KeyObject, or for HS256 the secret (string as UTF-8, or bytes). */
  key: string | Uint8Array | KeyObject | JsonWebKey;
  /** Narrow the algorithms (default: every algorithm the key's type allows). */
  algorithms?: readonly JwtAlgorithm[];
  /** Set true when `key` is an HS256 secret, so a string is never mistaken for a PEM. */
  secret?: boolean;
}

/** A verification key bound to the algorithms its type allows, with a prepared verifier per algorithm. */
export interface JwtKey {
  kid: string | undefined;
  algorithms: readonly JwtAlgorithm[];
  /** Verifies signature and JWS syntax only; the claim policy is the caller's. */
  verify(
    token: string,
    alg: JwtAlgorithm,
  ): { header: Record<string, unknown>; payload: Record<string, unknown> };
}

function configError(message: string): AuthError {
  return new AuthError('ERR_AUTH_CONFIG', message);
}

function toKeyObject(input: JwtKeyInput): KeyObject {
  const { key } = input;
  if (typeof key === 'object' && 'type' in key && typeof key.type === 'string' && 'export' in key) {
    const k = key as KeyObject;
    return k.type === 'private' ? createPublicKey(k) : k;
  }
  if (input.secret) {
    return createSecretKey(
      typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key as Uint8Array),
    );
  }
  if (typeof key === 'string') return createPublicKey(key);
  if (key instanceof Uint8Array) return createPublicKey(Buffer.from(key).toString('utf8'));
  const jwk = key as JsonWebKey;
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw configError('oct JWK without k');
    return createSecretKey(Buffer.from(jwk.k, 'base64url'));
  }
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/**
 * Prepares a JWT verification key. Its algorithms are those its type allows (RSA: RS256/PS256,
 * P-256: ES256, Ed25519: EdDSA, secret: HS256), optionally narrowed, never widened.
 * @throws AuthError `ERR_AUTH_CONFIG` for an unusable key, an HS256 secret under 32 bytes, or an RSA key under 2048 bits
 */
export function createJwtKey(input: JwtKeyInput): JwtKey {
  let keyObject: KeyObject;
  try {
    keyObject = toKeyObject(input);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw configError(`JWT key ${input.kid ?? '(no kid)'} is unreadable`);
  }
  const allowed = algorithmsForKey(keyObject);
  const algorithms = input.algorithms ? allowed.filter((a) => input.algorithms!.includes(a)) : allowed;
  if (algorithms.length === 0)
    throw configError(`JWT key ${input.kid ?? '(no kid)'} fits none of the allowed algorithms`);
  if (keyObject.type === 'secret')
    assertStrongSecret(`HS256 key ${input.kid ?? '(no kid)'}`, keyObject.export());
  if (
    keyObject.asymmetricKeyType?.startsWith('rsa') &&
    (keyObject.asymmetricKeyDetails?.modulusLength ?? 0) < 2048
  ) {
    throw configError('RSA keys must be at least 2048 bits');
  }
  // fast-jwt takes a PEM or a secret buffer; one verifier per algorithm, built once.
  const material =
    keyObject.type === 'secret'
      ? keyObject.export()
      : (keyObject.export({ type: 'spki', format: 'pem' }) as string);
  const verifiers = new Map(
    algorithms.map((alg) => [
      alg,
      createVerifier({
        key: material,
        algorithms: [alg],
        complete: true,
        cache: false,
        // Time and registered claims are checked by verify-jwt.ts, with its own error codes.
        ignoreExpiration: true,
        ignoreNotBefore: true,
        allowedCritHeaders: [],
      }),
    ]),
  );
  return {
    kid: input.kid,
    algorithms,
    verify(token, alg) {
      const verifier = verifiers.get(alg);
      if (!verifier) throw new AuthError('ERR_JWT_ALGORITHM', 'algorithm not allowed for this key');
      return verifier(token) as { header: Record<string, unknown>; payload: Record<string, unknown> };
    },
  };
}
