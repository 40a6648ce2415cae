import { AuthError } from '../errors/auth-error.js';
import { signBaseBase64 } from './algorithms.js';
import { createContentDigest } from './content-digest.js';
import { createHmacSha256Base64 } from './hmac-sha256.js';
import { fieldValue, type SignableRequest } from './http-message.js';
import { createNonceSource } from './nonce-source.js';
import { MAX_SIGNATURE_VALIDITY_SECONDS, SIGNATURE_LABEL, SIGNATURE_TAG } from './profile.js';
import { type SignedHeaders, signRequest } from './sign-request.js';
import { isPlainString } from './signature-base.js';
import type { SigningKey } from './signature-keys.js';
import { createOriginPathResolver, createUrlTargetResolver, type UrlTarget } from './url-target-resolver.js';

/** One outbound attempt, as `@interlink/client` hands it to its signer. */
export interface OutboundRequest {
  method: string;
  url: URL | string;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array | undefined;
  /** A streamed body cannot be digested, so it cannot be signed. */
  streamedBody?: boolean;
  /**
   * `url` in two parts, as the client knows them: `scheme://authority` (the same string on every
   * call to a target) and the path and query. When both are given `url` must equal
   * `origin + path`; the signer then splits no URL.
   */
  origin?: string;
  path?: string;
}

export interface RequestSignerOptions {
  key: SigningKey;
  /** Validity of each signature; 60 s by default, at most 300. */
  expiresInSeconds?: number;
}

const LINE_BREAK = /[\r\n]/;

/** True when every own header name is lower-case already (the client's always are). */
function lowerCaseNames(headers: Readonly<Record<string, unknown>>): boolean {
  for (const name in headers) if (name !== name.toLowerCase()) return false;
  return true;
}

/**
 * A signer for `@interlink/client` (its `RequestSigner` shape): signs every attempt afresh with
 * Interlink's RFC 9421 profile, so each retry has its own nonce and `created`.
 *
 * The usual attempt (an absolute URL, lower-case header names, byte body or none) is signed here
 * with the base and `Signature-Input` written out by concatenation: the same bytes
 * {@link signRequest} produces (`create-request-signer.test.ts` compares them on random
 * requests), without its arrays, header copies and option checks, which were a third of the
 * signer's cost per request. Anything else goes through {@link signRequest}.
 * @throws AuthError `ERR_AUTH_CONFIG` for a streamed body (the digest needs the bytes)
 */
export function createRequestSigner(options: RequestSignerOptions): {
  sign(request: OutboundRequest): Record<string, string>;
} {
  const { key } = options;
  const validity = options.expiresInSeconds || 60;
  const nextNonce = createNonceSource();
  const resolveUrl = createUrlTargetResolver();
  const resolveParts = createOriginPathResolver(resolveUrl);
  // An odd key id (a quote, say) or validity (signRequest's own error) takes the general path.
  const fast = isPlainString(key.keyId) && validity > 0 && validity <= MAX_SIGNATURE_VALIDITY_SECONDS;
  const expiresAfter = Math.floor(validity);
  // An HMAC key's padded forms are made once (hmac-sha256.ts): half the cost of createHmac per call.
  const signBase =
    key.alg === 'hmac-sha256' && key.key.type === 'secret'
      ? createHmacSha256Base64(key.key)
      : (base: string) => signBaseBase64(key.alg, key.key, base);
  // The parameters after the nonce are the same on every signature of this key.
  const paramsTail = `";keyid="${key.keyId}";alg="${key.alg}";tag="${SIGNATURE_TAG}"`;
  // `;created=…;expires=…;nonce="`, rebuilt once a second.
  let second = -1;
  let timeParams = '';

  function general(request: OutboundRequest): Record<string, string> {
    const { url } = request;
    const signable: SignableRequest =
      typeof url === 'string' && !url.startsWith('/')
        ? { method: request.method, ...resolveUrl(url), headers: request.headers }
        : { method: request.method, url, headers: request.headers };
    if (request.body) signable.body = request.body;
    const headers = signRequest(signable, { key, nonce: nextNonce(), expiresInSeconds: validity });
    return { ...headers };
  }

  return {
    sign(request) {
      if (request.streamedBody) {
        throw new AuthError('ERR_AUTH_CONFIG', 'a streamed body cannot be signed: buffer it first');
      }
      const { url, headers, body, method, origin, path } = request;
      if (!fast || (body !== undefined && !(body instanceof Uint8Array)) || !lowerCaseNames(headers)) {
        return general(request);
      }
      // An absolute URL is split here, its origin parsed once while it stays the same: see the
      // resolvers. The authority is the URL parser's `host`: lower-case, default port dropped.
      let target: UrlTarget;
      if (origin !== undefined && path !== undefined) target = resolveParts(origin, path);
      else if (typeof url === 'string' && url.charCodeAt(0) !== 0x2f) target = resolveUrl(url);
      else return general(request);
      // Other schemes keep the host's case in `URL`, which signRequest would lower-case.
      if (target.scheme !== 'http' && target.scheme !== 'https') return general(request);
      const query = target.query === '' ? '?' : target.query;
      const contentType = fieldValue(headers, 'content-type');
      const tenant = fieldValue(headers, 'x-tenant-id');
      const user = fieldValue(headers, 'x-user-id');
      const idempotencyKey = fieldValue(headers, 'idempotency-key');
      const deadline = fieldValue(headers, 'x-interlink-deadline');
      // A line break in a value would let one component forge another line of the base; signRequest
      // throws for one. The authority, path and query are the URL parser's, which drops them.
      if (
        LINE_BREAK.test(method) ||
        (contentType !== undefined && LINE_BREAK.test(contentType)) ||
        (tenant !== undefined && LINE_BREAK.test(tenant)) ||
        (user !== undefined && LINE_BREAK.test(user)) ||
        (idempotencyKey !== undefined && LINE_BREAK.test(idempotencyKey)) ||
        (deadline !== undefined && LINE_BREAK.test(deadline))
      ) {
        return general(request);
      }
      // Covered components in the profile's order (sign-request.ts): target, digest, content
      // type, identity headers.
      let covered = '"@method" "@authority" "@path" "@query"';
      let base = `"@method": ${method}\n"@authority": ${target.authority}\n"@path": ${target.path}\n"@query": ${query}\n`;
      let digest: string | undefined;
      if (body !== undefined && body.length > 0) {
        digest = createContentDigest(body);
        covered += ' "content-digest"';
        base += `"content-digest": ${digest}\n`;
      }
      if (contentType !== undefined) {
        covered += ' "content-type"';
        base += `"content-type": ${contentType}\n`;
      }
      if (tenant !== undefined) {
        covered += ' "x-tenant-id"';
        base += `"x-tenant-id": ${tenant}\n`;
      }
      if (user !== undefined) {
        covered += ' "x-user-id"';
        base += `"x-user-id": ${user}\n`;
      }
      if (idempotencyKey !== undefined) {
        covered += ' "idempotency-key"';
        base += `"idempotency-key": ${idempotencyKey}\n`;
      }
      if (deadline !== undefined) {
        covered += ' "x-interlink-deadline"';
        base += `"x-interlink-deadline": ${deadline}\n`;
      }
      const now = Math.floor(Date.now() / 1000);
      if (now !== second) {
        second = now;
        timeParams = `;created=${now};expires=${now + expiresAfter};nonce="`;
      }
      // Base64url nonces are plain sf-strings: nothing to escape.
      const params = `(${covered})${timeParams}${nextNonce()}${paramsTail}`;
      base += `"@signature-params": ${params}`;
      const out: SignedHeaders = {
        'signature-input': `${SIGNATURE_LABEL}=${params}`,
        // A one-member dictionary of a byte sequence, serialized (RFC 8941 §4.1.8).
        signature: `${SIGNATURE_LABEL}=:${signBase(base)}:`,
      };
      if (digest !== undefined) out['content-digest'] = digest;
      return out as unknown as Record<string, string>;
    },
  };
}
