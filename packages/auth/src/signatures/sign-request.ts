import { randomBytes } from 'node:crypto';
import { lowerCaseHeaders } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';
import { signBaseBase64 } from './algorithms.js';
import { createContentDigest } from './content-digest.js';
import { bodyBytes, resolveTarget, type SignableRequest } from './http-message.js';
import {
  IDENTITY_HEADERS,
  MAX_SIGNATURE_VALIDITY_SECONDS,
  SIGNATURE_LABEL,
  SIGNATURE_TAG,
  TARGET_COMPONENTS,
} from './profile.js';
import {
  buildPlainSignatureBase,
  component,
  isPlainString,
  serializeSignatureParams,
} from './signature-base.js';
import type { SigningKey } from './signature-keys.js';

export interface SignRequestOptions {
  key: SigningKey;
  /** Clock, epoch ms; `Date.now()` by default. */
  now?: number;
  /** Validity in seconds, at most 300; 60 by default. */
  expiresInSeconds?: number;
  /** The nonce to use instead of 128 fresh random bits: tests, or a signer with its own nonce source. */
  nonce?: string;
}

/** Headers to add to the request: the signature, and the content digest when there is a body. */
export interface SignedHeaders {
  'signature-input': string;
  signature: string;
  'content-digest'?: string;
}

/**
 * Signs a request with Interlink's RFC 9421 profile: covers `@method`, `@authority`, `@path`,
 * `@query`, `content-digest` (computed here over the raw body) when there is a body,
 * `content-type` and the identity headers when present; parameters `created`, `expires`, `nonce`,
 * `keyid`, `alg` and `tag="interlink"`. Returns the headers to set; sign each attempt anew (a fresh
 * nonce per retry).
 */
export function signRequest(request: SignableRequest, options: SignRequestOptions): SignedHeaders {
  const validity = options.expiresInSeconds ?? 60;
  if (!(validity > 0 && validity <= MAX_SIGNATURE_VALIDITY_SECONDS)) {
    throw new AuthError(
      'ERR_AUTH_CONFIG',
      `expiresInSeconds must be in (0, ${MAX_SIGNATURE_VALIDITY_SECONDS}]`,
    );
  }
  const body = bodyBytes(request.body);
  const out: SignedHeaders = { 'signature-input': '', signature: '' };
  const headers = lowerCaseHeaders(request.headers);
  const names: string[] = [...TARGET_COMPONENTS];
  let digest: string | undefined;
  if (body.length > 0) {
    digest = createContentDigest(body);
    out['content-digest'] = digest;
    names.push('content-digest');
  }
  if (headers['content-type'] !== undefined) names.push('content-type');
  for (const name of IDENTITY_HEADERS) {
    if (headers[name] !== undefined) names.push(name);
  }
  const created = Math.floor((options.now ?? Date.now()) / 1000);
  const expires = created + Math.floor(validity);
  const nonce = options.nonce ?? randomBytes(16).toString('base64url');
  const { keyId, alg } = options.key;
  // The serialization written out for the usual values; anything that needs escaping (a key id
  // with a quote, say) goes through the general serializer.
  const signatureParams =
    isPlainString(nonce) && isPlainString(keyId) && Number.isSafeInteger(expires) && expires < 1e15
      ? `("${names.join('" "')}");created=${created};expires=${expires};nonce="${nonce}";keyid="${keyId}";alg="${alg}";tag="${SIGNATURE_TAG}"`
      : serializeSignatureParams(
          names.map((name) => component(name)),
          new Map<string, string | number>([
            ['created', created],
            ['expires', expires],
            ['nonce', nonce],
            ['keyid', keyId],
            ['alg', alg],
            ['tag', SIGNATURE_TAG],
          ]),
        );
  const message = headers === request.headers ? request : { ...request, headers };
  const base = buildPlainSignatureBase(message, resolveTarget(message), names, signatureParams, digest);
  out['signature-input'] = `${SIGNATURE_LABEL}=${signatureParams}`;
  // A one-member dictionary of a byte sequence, serialized (RFC 8941 §4.1.8).
  out.signature = `${SIGNATURE_LABEL}=:${signBaseBase64(alg, options.key.key, base)}:`;
  return out;
}
