import { hash, timingSafeEqual } from 'node:crypto';
import { isInnerList, parseDictionary } from 'structured-headers';
import { AuthError } from '../errors/auth-error.js';
import { matchByteSequence } from './fast-structured-fields.js';

// A Map, not an object literal: a member named `constructor` must not find Object's.
const ALGORITHMS = new Map([
  ['sha-256', 'sha256'],
  ['sha-512', 'sha512'],
]);

/** The RFC 9530 `Content-Digest` value for a body: `sha-256=:<base64>:`. */
export function createContentDigest(body: Uint8Array): string {
  // One-shot hash straight to base64: no Hash object, no native Buffer.
  return `sha-256=:${hash('sha256', body, 'base64')}:`;
}

/** Compares one digest, given as bytes, with the body's: constant-time, over the decoded bytes. */
function checkDigest(alg: string, body: Uint8Array, given: Uint8Array): void {
  const expected = Buffer.from(hash(alg, body, 'base64'), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(expected, given)) {
    throw new AuthError('ERR_DIGEST_MISMATCH', 'content-digest does not match the body');
  }
}

/**
 * Checks an RFC 9530 `Content-Digest` against the raw body: every supported algorithm present
 * (sha-256, sha-512) must match, and at least one must be present.
 * @throws AuthError `ERR_DIGEST_MISMATCH` or `ERR_SIGNATURE_MALFORMED`
 */
export function verifyContentDigest(header: string | undefined, body: Uint8Array): void {
  if (header === undefined) throw new AuthError('ERR_DIGEST_MISMATCH', 'content-digest header missing');
  // The usual shape, one byte-sequence member (`sha-256=:...:`), without building a dictionary.
  const single = matchByteSequence(header);
  if (single) {
    const alg = ALGORITHMS.get(single.label);
    if (!alg) throw new AuthError('ERR_DIGEST_MISMATCH', 'content-digest has no supported algorithm');
    // The digest of the body the caller sent is no secret, so the text may be compared as it is:
    // the same base64 is the same bytes. Other text can still decode to the same bytes (non-zero
    // padding bits), so a difference is judged on the bytes, as before.
    if (hash(alg, body, 'base64') === single.base64) return;
    checkDigest(alg, body, Buffer.from(single.base64, 'base64'));
    return;
  }
  let dict: ReturnType<typeof parseDictionary>;
  try {
    dict = parseDictionary(header);
  } catch {
    throw new AuthError('ERR_SIGNATURE_MALFORMED', 'content-digest is not a structured dictionary');
  }
  let checked = 0;
  for (const [name, member] of dict) {
    const alg = ALGORITHMS.get(name);
    if (!alg) continue;
    const value = isInnerList(member) ? undefined : member[0];
    if (!(value instanceof ArrayBuffer)) {
      throw new AuthError('ERR_SIGNATURE_MALFORMED', `content-digest ${name} is not a byte sequence`);
    }
    checkDigest(alg, body, new Uint8Array(value));
    checked++;
  }
  if (checked === 0) throw new AuthError('ERR_DIGEST_MISMATCH', 'content-digest has no supported algorithm');
}
