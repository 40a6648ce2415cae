import { AuthError } from '../errors/auth-error.js';

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
 * Decodes and vets a compact JWS header before any key is looked up: refuses `none`, keys embedded
 * in the header (`jwk`, `jku`, `x5u`, `x5c`) and any `crit` extension (we understand none).
 * @throws AuthError `ERR_JWT_MALFORMED`, `ERR_JWT_ALGORITHM`, `ERR_JWT_EMBEDDED_KEY`, `ERR_JWT_CRIT`
 */
export function readJwtHeader(token: string): JwtHeader {
  if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('ERR_JWT_MALFORMED', 'token too long');
  const dot = token.indexOf('.');
  if (dot <= 0 || token.split('.').length !== 3)
    throw new AuthError('ERR_JWT_MALFORMED', 'not a compact JWS');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
  } catch {
    throw new AuthError('ERR_JWT_MALFORMED', 'header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new AuthError('ERR_JWT_MALFORMED', 'header is not an object');
  }
  const h = header as Record<string, unknown>;
  if (typeof h.alg !== 'string') throw new AuthError('ERR_JWT_MALFORMED', 'header has no alg');
  if (h.alg.toLowerCase() === 'none') throw new AuthError('ERR_JWT_ALGORITHM', 'unsigned tokens are refused');
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
