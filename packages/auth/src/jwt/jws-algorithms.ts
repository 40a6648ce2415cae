/**
 * JWS signature algorithms (RFC 7518 §3, RFC 8037) that identity providers publish, each with the
 * key it needs. Everything else (`none`, `RSA1_5`, `ES256K`, `Ed448`, ...) is refused by name.
 */
export type JwtAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'HS256'
  | 'HS384'
  | 'HS512';

export type JwsAlgorithmFamily = 'rsa' | 'rsa-pss' | 'ec' | 'eddsa' | 'hmac';

export interface JwsAlgorithmSpec {
  family: JwsAlgorithmFamily;
  /** `node:crypto` digest name; null for EdDSA, which hashes internally. */
  hash: 'sha256' | 'sha384' | 'sha512' | null;
  /** Digest size in bytes: the PSS salt length, and the shortest HMAC secret (RFC 7518 §3.2). */
  hashBytes: number;
  /** ECDSA: the curve the key must be on (OpenSSL name) and the r||s signature length. */
  curve?: 'prime256v1' | 'secp384r1' | 'secp521r1';
  signatureBytes?: number;
}

export const JWS_ALGORITHM_SPECS: Readonly<Record<JwtAlgorithm, JwsAlgorithmSpec>> = {
  RS256: { family: 'rsa', hash: 'sha256', hashBytes: 32 },
  RS384: { family: 'rsa', hash: 'sha384', hashBytes: 48 },
  RS512: { family: 'rsa', hash: 'sha512', hashBytes: 64 },
  PS256: { family: 'rsa-pss', hash: 'sha256', hashBytes: 32 },
  PS384: { family: 'rsa-pss', hash: 'sha384', hashBytes: 48 },
  PS512: { family: 'rsa-pss', hash: 'sha512', hashBytes: 64 },
  ES256: { family: 'ec', hash: 'sha256', hashBytes: 32, curve: 'prime256v1', signatureBytes: 64 },
  ES384: { family: 'ec', hash: 'sha384', hashBytes: 48, curve: 'secp384r1', signatureBytes: 96 },
  ES512: { family: 'ec', hash: 'sha512', hashBytes: 64, curve: 'secp521r1', signatureBytes: 132 },
  EdDSA: { family: 'eddsa', hash: null, hashBytes: 0 },
  HS256: { family: 'hmac', hash: 'sha256', hashBytes: 32 },
  HS384: { family: 'hmac', hash: 'sha384', hashBytes: 48 },
  HS512: { family: 'hmac', hash: 'sha512', hashBytes: 64 },
};

/** Every algorithm a token may be signed with, in a stable order. */
export const JWT_ALGORITHMS = Object.keys(JWS_ALGORITHM_SPECS) as readonly JwtAlgorithm[];

/** Smallest RSA modulus accepted, in bits (RFC 7518 §3.3 requires 2048). */
export const MIN_RSA_MODULUS_BITS = 2048;

/** True for an algorithm we verify; `constructor`, `none` and the like are false. */
export function isJwtAlgorithm(value: unknown): value is JwtAlgorithm {
  return typeof value === 'string' && Object.hasOwn(JWS_ALGORITHM_SPECS, value);
}
