import { AuthError } from '../errors/auth-error.js';
import type { SignableRequest } from './http-message.js';
import { createNonceSource } from './nonce-source.js';
import { signRequest } from './sign-request.js';
import type { SigningKey } from './signature-keys.js';
import { createUrlTargetResolver } from './url-target-resolver.js';

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
  const nextNonce = createNonceSource();
  const resolveUrl = createUrlTargetResolver();
  return {
    sign(request) {
      if (request.streamedBody) {
        throw new AuthError('ERR_AUTH_CONFIG', 'a streamed body cannot be signed: buffer it first');
      }
      const { url } = request;
      // An absolute URL string is split here, its origin parsed once per signer: see the resolver.
      const signable: SignableRequest =
        typeof url === 'string' && !url.startsWith('/')
          ? { method: request.method, ...resolveUrl(url), headers: request.headers }
          : { method: request.method, url, headers: request.headers };
      if (request.body) signable.body = request.body;
      const headers = signRequest(signable, {
        key: options.key,
        nonce: nextNonce(),
        expiresInSeconds: options.expiresInSeconds || 60,
      });
      return { ...headers };
    },
  };
}
