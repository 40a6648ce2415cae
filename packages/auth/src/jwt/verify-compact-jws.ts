import { AuthError } from '../errors/auth-error.js';
import { decodeCanonicalBase64url } from './canonical-base64url.js';
import type { JwtAlgorithm } from './jws-algorithms.js';
import { decodeJsonSegment, type JwtHeader, splitCompactJws, vetJwsHeader } from './jwt-header.js';
import type { JwtKey } from './jwt-keys.js';

/** A JWS whose signature verified: its vetted protected header and its payload bytes, unparsed. */
export interface VerifiedJws {
  header: Readonly<JwtHeader>;
  payload: Buffer;
  /** The key that verified it. */
  key: JwtKey;
}

/** Finds the key for a vetted header; throws (or returns undefined) when there is none. */
export type JwsKeyResolver = (header: JwtHeader) => JwtKey | undefined | Promise<JwtKey | undefined>;

function keyFromList(keys: readonly JwtKey[], header: JwtHeader): JwtKey | undefined {
  if (header.kid !== undefined) return keys.find((k) => k.kid === header.kid);
  return keys.length === 1 ? keys[0] : undefined;
}

/** A single key given by the caller verifies tokens without a `kid` or with its own. */
function singleKey(key: JwtKey, header: JwtHeader): JwtKey | undefined {
  return header.kid === undefined || key.kid === undefined || key.kid === header.kid ? key : undefined;
}

/**
 * Verifies a compact JWS (RFC 7515 §7.1) and nothing else: three canonical base64url segments, a
 * vetted header (no `none`, no embedded key, no `crit`, only the algorithms of
 * {@link JWT_ALGORITHMS}), a key found by `kid` (or the only key) whose binding includes the
 * header's `alg`, and the signature. Claims are the caller's: {@link createJwtVerifier} is this
 * plus the JWT claim policy; other JWS-based formats can sit on the same checked path.
 * @throws AuthError `ERR_JWT_MALFORMED`, `ERR_JWT_ALGORITHM`, `ERR_JWT_EMBEDDED_KEY`, `ERR_JWT_CRIT`,
 *   `ERR_JWT_UNKNOWN_KID`, `ERR_JWT_SIGNATURE` (and whatever a resolver throws)
 */
export async function verifyCompactJws(
  token: string,
  keys: JwtKey | readonly JwtKey[] | JwsKeyResolver,
): Promise<VerifiedJws> {
  if (typeof token !== 'string' || token.length === 0) throw new AuthError('ERR_JWT_MISSING', 'no token');
  const [headerSegment, payloadSegment, signatureSegment] = splitCompactJws(token);
  const header = vetJwsHeader(decodeJsonSegment(headerSegment, 'header'));
  const payload = decodeCanonicalBase64url(payloadSegment, 'payload');
  const signature = decodeCanonicalBase64url(signatureSegment, 'signature');
  const key =
    typeof keys === 'function'
      ? await keys(header)
      : Array.isArray(keys)
        ? keyFromList(keys, header)
        : singleKey(keys as JwtKey, header);
  if (!key) throw new AuthError('ERR_JWT_UNKNOWN_KID', 'no key for this token');
  const alg = header.alg as JwtAlgorithm;
  // The algorithm comes from the key, never from the token: an RSA public key is never an HMAC secret.
  if (!key.algorithms.includes(alg))
    throw new AuthError('ERR_JWT_ALGORITHM', 'algorithm not allowed for this key');
  let valid: boolean;
  try {
    valid = key.verify(alg, token.slice(0, headerSegment.length + 1 + payloadSegment.length), signature);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    valid = false; // node:crypto throws on some malformed signatures: still just a bad signature
  }
  if (!valid) throw new AuthError('ERR_JWT_SIGNATURE', 'signature does not verify');
  return { header, payload, key };
}
