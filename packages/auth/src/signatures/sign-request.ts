import { randomBytes } from 'node:crypto';
import { serializeDictionary } from 'structured-headers';
import { AuthError } from '../errors/auth-error.js';
import { signBase } from './algorithms.js';
import { createContentDigest } from './content-digest.js';
import { bodyBytes, fieldValue, lowerCaseHeaders, type SignableRequest } from './http-message.js';
import {
  IDENTITY_HEADERS,
  MAX_SIGNATURE_VALIDITY_SECONDS,
  SIGNATURE_LABEL,
  SIGNATURE_TAG,
  TARGET_COMPONENTS,
} from './profile.js';
import { buildSignatureBase, type ComponentId, component } from './signature-base.js';
import type { SigningKey } from './signature-keys.js';

export interface SignRequestOptions {
  key: SigningKey;
  /** Clock, epoch ms; `Date.now()` by default. */
  now?: number;
  /** Validity in seconds, at most 300; 60 by default. */
  expiresInSeconds?: number;
  /** Override the 128-bit random nonce (tests only). */
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
  let headers = lowerCaseHeaders(request.headers);
  const components: ComponentId[] = TARGET_COMPONENTS.map((name) => component(name));
  if (body.length > 0) {
    out['content-digest'] = createContentDigest(body);
    headers = { ...headers, 'content-digest': out['content-digest'] };
    components.push(component('content-digest'));
  }
  if (fieldValue(headers, 'content-type') !== undefined) components.push(component('content-type'));
  for (const name of IDENTITY_HEADERS) {
    if (fieldValue(headers, name) !== undefined) components.push(component(name));
  }
  const created = Math.floor((options.now ?? Date.now()) / 1000);
  const params = new Map<string, string | number>([
    ['created', created],
    ['expires', created + Math.floor(validity)],
    ['nonce', options.nonce ?? randomBytes(16).toString('base64url')],
    ['keyid', options.key.keyId],
    ['alg', options.key.alg],
    ['tag', SIGNATURE_TAG],
  ]);
  const { base, signatureParams } = buildSignatureBase({ ...request, headers }, components, params);
  const signature = signBase(options.key.alg, options.key.key, base);
  out['signature-input'] = `${SIGNATURE_LABEL}=${signatureParams}`;
  out.signature = serializeDictionary({ [SIGNATURE_LABEL]: [signature, new Map()] });
  return out;
}
