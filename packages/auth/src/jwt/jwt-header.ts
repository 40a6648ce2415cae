import { AuthError } from '../errors/auth-error.js';
import { decodeCanonicalBase64url } from './canonical-base64url.js';
import { isJwtAlgorithm } from './jws-algorithms.js';

/** Largest token accepted; beyond it the token is refused before any parsing. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

/** Header parameters that carry or point to a key: keys only ever come from our configuration. */
const EMBEDDED_KEY_PARAMS = ['jwk', 'jku', 'x5u', 'x5c'];

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [name: string]: unknown;
}

/**
 * Vets a decoded JWS protected header before any key is looked up: refuses `none` and every
 * algorithm we do not verify (by name: `RSA1_5`, `ES256K`, ...), keys embedded in the header
 * (`jwk`, `jku`, `x5u`, `x5c`) and any `crit` extension (we understand none).
 * @throws AuthError `ERR_JWT_MALFORMED`, `ERR_JWT_ALGORITHM`, `ERR_JWT_EMBEDDED_KEY`, `ERR_JWT_CRIT`
 */
export function vetJwsHeader(header: unknown): JwtHeader {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new AuthError('ERR_JWT_MALFORMED', 'header is not an object');
  }
  const h = header as Record<string, unknown>;
  if (typeof h.alg !== 'string') throw new AuthError('ERR_JWT_MALFORMED', 'header has no alg');
  if (h.alg.toLowerCase() === 'none') throw new AuthError('ERR_JWT_ALGORITHM', 'unsigned tokens are refused');
  if (!isJwtAlgorithm(h.alg)) throw new AuthError('ERR_JWT_ALGORITHM', 'algorithm not supported');
  for (const name of EMBEDDED_KEY_PARAMS) {
    if (name in h) throw new AuthError('ERR_JWT_EMBEDDED_KEY', `header parameter ${name} is refused`);
  }
  if ('crit' in h) throw new AuthError('ERR_JWT_CRIT', 'critical header extensions are not supported');
  if (h.kid !== undefined && typeof h.kid !== 'string')
    throw new AuthError('ERR_JWT_MALFORMED', 'kid is not a string');
  if (h.typ !== undefined && typeof h.typ !== 'string')
    throw new AuthError('ERR_JWT_MALFORMED', 'typ is not a string');
  return h as JwtHeader;
}

/** Decodes a canonical base64url segment holding JSON. */
export function decodeJsonSegment(segment: string, what: string): unknown {
  const bytes = decodeCanonicalBase64url(segment, what);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AuthError('ERR_JWT_MALFORMED', `${what} is not JSON`);
  }
}

/** Splits a compact JWS into its three segments, refusing anything else. */
export function splitCompactJws(token: string): [header: string, payload: string, signature: string] {
  if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('ERR_JWT_MALFORMED', 'token too long');
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
    throw new AuthError('ERR_JWT_MALFORMED', 'not a compact JWS');
  }
  return [token.slice(0, first), token.slice(first + 1, second), token.slice(second + 1)];
}

/**
 * Decodes and vets a compact JWS header without checking the signature (to route a token, never
 * to trust it). See {@link vetJwsHeader}.
 * @throws AuthError `ERR_JWT_MALFORMED`, `ERR_JWT_ALGORITHM`, `ERR_JWT_EMBEDDED_KEY`, `ERR_JWT_CRIT`
 */
export function readJwtHeader(token: string): JwtHeader {
  return vetJwsHeader(decodeJsonSegment(splitCompactJws(token)[0], 'header'));
}
