import { AuthError } from '../errors/auth-error.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes one base64url segment of a JWS, refusing every non-canonical spelling (RFC 7515 §2 and
 * §C: no padding, only `A-Z a-z 0-9 - _`, and zero trailing bits). Node's decoder accepts `=`, `+`,
 * `/` and non-zero trailing bits, so several strings would decode to the same bytes: a token would
 * then have twins that verify alike but are different cache keys and denylist entries.
 * @throws AuthError `ERR_JWT_MALFORMED`
 */
export function decodeCanonicalBase64url(segment: string, what: string): Buffer {
  const length = segment.length;
  if (length % 4 === 1) throw new AuthError('ERR_JWT_MALFORMED', `${what} is not base64url`);
  let last = 0;
  for (let i = 0; i < length; i++) {
    const code = segment.charCodeAt(i);
    last = code < 128 ? VALUE[code]! : -1;
    if (last < 0) throw new AuthError('ERR_JWT_MALFORMED', `${what} is not canonical base64url`);
  }
  // The last character of a 2- or 3-character tail carries 4 or 2 bits that encode nothing.
  const unused = length % 4 === 2 ? 0x0f : length % 4 === 3 ? 0x03 : 0;
  if ((last & unused) !== 0) {
    throw new AuthError('ERR_JWT_MALFORMED', `${what} is not canonical base64url`);
  }
  return Buffer.from(segment, 'base64url');
}
