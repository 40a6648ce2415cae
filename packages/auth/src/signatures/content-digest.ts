import { createHash, timingSafeEqual } from 'node:crypto';
import { isInnerList, parseDictionary } from 'structured-headers';
import { AuthError } from '../errors/auth-error.js';
import { parseByteMemberFast } from './fast-structured-fields.js';

const ALGORITHMS: Record<string, string> = { 'sha-256': 'sha256', 'sha-512': 'sha512' };

/** The RFC 9530 `Content-Digest` value for a body: `sha-256=:<base64>:`. */
export function createContentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/**
 * Checks an RFC 9530 `Content-Digest` against the raw body: every supported algorithm present
 * (sha-256, sha-512) must match, and at least one must be present.
 * @throws AuthError `ERR_DIGEST_MISMATCH` or `ERR_SIGNATURE_MALFORMED`
 */
export function verifyContentDigest(header: string | undefined, body: Uint8Array): void {
  if (header === undefined) throw new AuthError('ERR_DIGEST_MISMATCH', 'content-digest header missing');
  let dict: ReturnType<typeof parseDictionary> | undefined = parseByteMemberFast(header);
  try {
    dict ??= parseDictionary(header);
  } catch {
    throw new AuthError('ERR_SIGNATURE_MALFORMED', 'content-digest is not a structured dictionary');
  }
  let checked = 0;
  for (const [name, member] of dict) {
    const alg = ALGORITHMS[name];
    if (!alg) continue;
    const value = isInnerList(member) ? undefined : member[0];
    if (!(value instanceof ArrayBuffer)) {
      throw new AuthError('ERR_SIGNATURE_MALFORMED', `content-digest ${name} is not a byte sequence`);
    }
    const expected = createHash(alg).update(body).digest();
    const given = new Uint8Array(value);
    if (given.length !== expected.length || !timingSafeEqual(expected, given)) {
      throw new AuthError('ERR_DIGEST_MISMATCH', 'content-digest does not match the body');
    }
    checked++;
  }
  if (checked === 0) throw new AuthError('ERR_DIGEST_MISMATCH', 'content-digest has no supported algorithm');
}
