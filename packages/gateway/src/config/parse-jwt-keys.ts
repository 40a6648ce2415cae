import type { JsonWebKey } from 'node:crypto';
import { createJwtKey, JWT_ALGORITHMS, type JwtAlgorithm, type JwtKey } from '@interlink/auth';
import { KeyConfigProblem, parseJson, pemBlocks } from './key-config-problem.js';

type Jwk = JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown };

function jwksEntries(value: string): Jwk[] {
  const parsed = parseJson(value, 'the value');
  const list = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { keys?: unknown }).keys)
      ? (parsed as { keys: unknown[] }).keys
      : [parsed];
  return list.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new KeyConfigProblem(`key ${index + 1} is not a JWK object`);
    }
    return entry as Jwk;
  });
}

function jwkKey(jwk: Jwk, index: number, algorithms: readonly JwtAlgorithm[] | undefined): JwtKey {
  const name = typeof jwk.kid === 'string' ? `key ${jwk.kid}` : `key ${index + 1}`;
  if (jwk.kty === 'oct')
    throw new KeyConfigProblem(`${name} is a shared secret; HS256 secrets go in JWT_SECRET`);
  if (jwk.d !== undefined) throw new KeyConfigProblem(`${name} is a private key; give only its public half`);
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new KeyConfigProblem(`${name} is not a signing key`);
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string')
    throw new KeyConfigProblem(`${name}: kid must be a string`);
  let allowed = algorithms;
  if (jwk.alg !== undefined) {
    if (!(JWT_ALGORITHMS as readonly unknown[]).includes(jwk.alg)) {
      throw new KeyConfigProblem(`${name}: alg must be one of ${JWT_ALGORITHMS.join(', ')}`);
    }
    const alg = jwk.alg as JwtAlgorithm;
    allowed = algorithms ? algorithms.filter((a) => a === alg) : [alg];
  }
  return createJwtKey({
    ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}),
    key: jwk,
    ...(allowed ? { algorithms: allowed } : {}),
  });
}

/**
 * `JWT_PUBLIC_KEYS`: PEM public keys or certificates (no `kid`), or JSON: one JWK, an array of
 * JWKs, or a JWKS document (`{ "keys": [...] }`). Secrets and private keys are refused: this
 * variable is not treated as a secret.
 * @throws KeyConfigProblem or auth's `ERR_AUTH_CONFIG` error, both printable
 */
export function parseJwtPublicKeys(value: string, algorithms?: readonly JwtAlgorithm[]): JwtKey[] {
  const text = value.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    const keys = jwksEntries(text).map((jwk, index) => jwkKey(jwk, index, algorithms));
    if (keys.length === 0) throw new KeyConfigProblem('holds no key');
    return keys;
  }
  const blocks = pemBlocks(text);
  if (blocks.length === 0) {
    throw new KeyConfigProblem('must be PEM public keys, a JWK, a JSON array of JWKs or a JWKS document');
  }
  return blocks.map(({ label, pem }, index) => {
    if (label.includes('PRIVATE')) {
      throw new KeyConfigProblem(`key ${index + 1} is a private key; give only its public half`);
    }
    return createJwtKey({ key: pem, ...(algorithms ? { algorithms } : {}) });
  });
}
