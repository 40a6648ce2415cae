import { KNOWN_DEFAULT_SECRETS } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';

/** Shortest accepted shared secret (HMAC-SHA256 keys, HS256): the hash's output size. */
export const MIN_SECRET_BYTES = 32;

/**
 * Refuses a shared secret that is short, a well-known default (seed 003's
 * `dev-secret-change-in-production` fallback and the like), or one repeated character: there is
 * no fallback secret anywhere in this package, and a guessable one is treated as none.
 * @throws AuthError `ERR_AUTH_CONFIG`
 */
export function assertStrongSecret(name: string, secret: Uint8Array): void {
  if (secret.length < MIN_SECRET_BYTES) {
    throw new AuthError(
      'ERR_AUTH_CONFIG',
      `${name}: secret is too short: ${secret.length} bytes, at least ${MIN_SECRET_BYTES} bytes needed`,
    );
  }
  const text = Buffer.from(secret).toString('utf8').trim().toLowerCase();
  if (KNOWN_DEFAULT_SECRETS.has(text) || /change[-_]?(it|me|in[-_]production)/.test(text)) {
    throw new AuthError('ERR_AUTH_CONFIG', `${name}: secret is a well-known default: use random bytes`);
  }
  if (/^(.)\1*$/s.test(text)) {
    throw new AuthError(
      'ERR_AUTH_CONFIG',
      `${name}: secret is one character repeated, which anyone can guess: use random bytes`,
    );
  }
}
