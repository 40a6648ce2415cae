import { AuthError } from '../errors/auth-error.js';
import { signRequest } from './sign-request.js';
import type { SigningKey } from './signature-keys.js';

/** One outbound attempt, as `@interlink/client` hands it to its signer. */
export interface OutboundRequest {
  method: string;
  url: URL | string;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array | undefined;
  /** A streamed body cannot be digested, so it cannot be signed. */
  streamedBody?: boolean;
}

export interface RequestSignerOptions {
  key: SigningKey;
  /** Validity of each signature; 60 s by default, at most 300. */
  expiresInSeconds?: number;
}

/**
 * A signer for `@interlink/client` (its `RequestSigner` shape): signs every attempt afresh with
 * Interlink's RFC 9421 profile, so each retry has its own nonce and `created`.
 * @throws AuthError `ERR_AUTH_CONFIG` for a streamed body (the digest needs the bytes)
 */
export function createRequestSigner(options: RequestSignerOptions): {
  sign(request: OutboundRequest): Record<string, string>;
} {
  return {
    sign(request) {
      if (request.streamedBody) {
        throw new AuthError('ERR_AUTH_CONFIG', 'a streamed body cannot be signed: buffer it first');
      }
      const headers = signRequest(
        {
          method: request.method,
          url: request.url,
          headers: request.headers,
          ...(request.body ? { body: request.body } : {}),
        },
        {
          key: options.key,
          ...(options.expiresInSeconds ? { expiresInSeconds: options.expiresInSeconds } : {}),
        },
      );
      return { ...headers };
    },
  };
}
