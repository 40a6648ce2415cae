import { assertStrongSecret, type LegacyScheme, signLegacy } from '@interlink/auth';
import { ClientError } from '../errors/client-error.js';
import type { RequestSigner } from './request-signer.js';

/** A seed HMAC scheme: the calling service's name and the seeds' shared internal secret. */
export interface LegacyHmacSignerOptions {
  scheme: Exclude<LegacyScheme, 'seed-004-api-key'>;
  /** The calling service, as the target's allowlist names it. */
  service: string;
  /** The seeds' `INTERNAL_SECRET`/`INTERNAL_SERVICE_SECRET`; at least 32 bytes, as the verifier requires. */
  secret: string | Buffer;
}

/** Seed 004's static key: `x-internal-service: true` plus `x-internal-api-key`. */
export interface LegacyApiKeySignerOptions {
  scheme: 'seed-004-api-key';
  /** Seed 004's `INTERNAL_API_KEY`; at least 32 bytes. */
  apiKey: string;
}

export type LegacySignerOptions = LegacyHmacSignerOptions | LegacyApiKeySignerOptions;

/**
 * A {@link RequestSigner} speaking one of the seeds' service-to-service schemes, for targets not yet
 * migrated to RFC 9421 (`@interlink/auth`'s `signLegacy`). Each attempt gets its own timestamp (and,
 * for `seed-002-nonce`, its own nonce), so a retry is never a replay. The schemes cover neither the
 * tenant nor the user headers (and only `seed-000` the body): use them only during a migration.
 * @throws AuthError `ERR_AUTH_CONFIG` for a secret or key under 32 bytes or a well-known default
 */
export function legacySigner(options: LegacySignerOptions): RequestSigner {
  if (options.scheme === 'seed-004-api-key') {
    const { apiKey } = options;
    assertStrongSecret('legacy internal API key', Buffer.from(apiKey));
    // A static credential: the same two headers on every attempt; the scheme has nothing fresh.
    return { sign: () => signLegacy('seed-004-api-key', apiKey, { service: '', method: '', url: '' }) };
  }
  const { scheme, service } = options;
  const secret = Buffer.from(options.secret);
  assertStrongSecret('legacy internal secret', secret);
  return {
    sign(request) {
      let body: string | undefined;
      if (scheme === 'seed-000') {
        if (request.streamedBody) {
          // Seed 000 signs the body: a stream it cannot see would make a signature that never verifies.
          throw new ClientError('ERR_CLIENT_REQUEST_INVALID', 'seed-000 signs the body: buffer it first');
        }
        const bytes = request.body;
        body = bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : '';
      }
      return signLegacy(scheme, secret, {
        service,
        method: request.method,
        // The receiver checks its `request.url`: path and query as sent on the request line.
        url: request.path,
        ...(body !== undefined ? { body } : {}),
      });
    },
  };
}
