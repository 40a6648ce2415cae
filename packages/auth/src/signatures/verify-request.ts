import {
  type Dictionary,
  type InnerList,
  type Item,
  isInnerList,
  type Parameters,
  parseDictionary,
} from 'structured-headers';
import { AuthError } from '../errors/auth-error.js';
import type { NonceStore } from '../replay/nonce-store.js';
import {
  isSignatureAlgorithm,
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithm,
  verifyBase,
} from './algorithms.js';
import { verifyContentDigest } from './content-digest.js';
import { dictionaryKeys } from './dictionary-keys.js';
import { parseByteMemberFast, parseSignatureInputFast } from './fast-structured-fields.js';
import {
  bodyBytes,
  fieldValue,
  lowerCaseHeaders,
  resolveTarget,
  type SignableRequest,
} from './http-message.js';
import {
  IDENTITY_HEADERS,
  MAX_SIGNATURE_VALIDITY_SECONDS,
  SIGNATURE_CLOCK_SKEW_SECONDS,
  SIGNATURE_TAG,
  TARGET_COMPONENTS,
} from './profile.js';
import { buildSignatureBase } from './signature-base.js';
import type { Keyring } from './signature-keys.js';

export interface VerifyRequestOptions {
  keys: Keyring;
  /** Where accepted nonces are remembered; share one (Redis) across replicas. */
  nonceStore: NonceStore;
  /** Clock, epoch ms. */
  now?: () => number;
  clockSkewSeconds?: number;
  /** Longest accepted `expires - created`; 300 s, and never more. */
  maxValiditySeconds?: number;
  /** Largest accepted `Signature-Input` or `Signature` value; 8 KiB by default. */
  maxHeaderBytes?: number;
  /** Algorithms accepted at all; every key is further bound to its own. */
  algorithms?: readonly SignatureAlgorithm[];
  /** Prefix of nonce keys in the store; `sig:` by default. */
  noncePrefix?: string;
}

/** What a verified signature proves. Identity headers are set only when the signature covers them. */
export interface VerifiedRequest {
  service: string;
  keyId: string;
  alg: SignatureAlgorithm;
  label: string;
  nonce: string;
  created: number;
  expires: number;
  covered: string[];
  tenantId?: string;
  userId?: string;
  idempotencyKey?: string;
}

function fail(code: ConstructorParameters<typeof AuthError>[0], message: string): never {
  throw new AuthError(code, message);
}

function headerString(request: SignableRequest, name: string, max: number): string | undefined {
  const value = fieldValue(request.headers, name);
  if (value !== undefined && value.length > max) {
    fail('ERR_SIGNATURE_HEADER_TOO_LARGE', `${name} is larger than ${max} bytes`);
  }
  return value;
}

function parseSignatureDictionary(
  name: string,
  value: string,
  fast: (value: string) => Dictionary | undefined,
): Dictionary {
  // A fast-path match is a single member, so it cannot repeat a label.
  const quick = fast(value);
  if (quick) return quick;
  const keys = dictionaryKeys(value);
  if (new Set(keys).size !== keys.length) fail('ERR_SIGNATURE_DUPLICATE_LABEL', `${name} repeats a label`);
  try {
    return parseDictionary(value);
  } catch {
    return fail('ERR_SIGNATURE_MALFORMED', `${name} is not a structured dictionary`);
  }
}

function selectSignature(input: Dictionary, tag: string): [string, InnerList] {
  let found: [string, InnerList] | undefined;
  for (const [label, member] of input) {
    if (!isInnerList(member) || member[1].get('tag') !== tag) continue;
    if (found) fail('ERR_SIGNATURE_MALFORMED', `more than one signature is tagged ${tag}`);
    found = [label, member];
  }
  if (!found) fail('ERR_SIGNATURE_MISSING', `no signature tagged ${tag}`);
  return found;
}

function intParam(params: Parameters, name: string): number {
  const value = params.get(name);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail('ERR_SIGNATURE_PARAMS', `${name} must be a non-negative integer`);
  }
  return value;
}

function stringParam(params: Parameters, name: string, min: number, max: number): string {
  const value = params.get(name);
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    fail('ERR_SIGNATURE_PARAMS', `${name} must be a string of ${min} to ${max} characters`);
  }
  return value;
}

/**
 * Verifies a request signed with Interlink's RFC 9421 profile and records its nonce. Checks, in
 * order: header sizes, duplicate labels, structured-field syntax, the `tag="interlink"` signature,
 * its parameters and time window (30 s skew, at most 300 s validity), the key and the algorithm
 * bound to it, the required coverage (a signer cannot drop `content-digest`), the digest of the raw
 * body, the signature, and last the nonce (so only genuine signatures consume store space).
 * @throws AuthError with a stable `ERR_*` code; never anything else for bad input
 */
export async function verifyRequest(
  request: SignableRequest,
  options: VerifyRequestOptions,
): Promise<VerifiedRequest> {
  request = { ...request, headers: lowerCaseHeaders(request.headers) };
  const now = (options.now ?? Date.now)();
  const skew = options.clockSkewSeconds ?? SIGNATURE_CLOCK_SKEW_SECONDS;
  const maxValidity = Math.min(
    options.maxValiditySeconds ?? MAX_SIGNATURE_VALIDITY_SECONDS,
    MAX_SIGNATURE_VALIDITY_SECONDS,
  );
  const maxBytes = options.maxHeaderBytes ?? 8192;
  const algorithms = options.algorithms ?? SIGNATURE_ALGORITHMS;

  const inputHeader = headerString(request, 'signature-input', maxBytes);
  const signatureHeader = headerString(request, 'signature', maxBytes);
  if (inputHeader === undefined || signatureHeader === undefined) {
    fail('ERR_SIGNATURE_MISSING', 'signature-input and signature headers are required');
  }
  const inputs = parseSignatureDictionary('signature-input', inputHeader, parseSignatureInputFast);
  const signatures = parseSignatureDictionary('signature', signatureHeader, parseByteMemberFast);
  const [label, [items, params]] = selectSignature(inputs, SIGNATURE_TAG);

  const created = intParam(params, 'created');
  const expires = intParam(params, 'expires');
  const nonce = stringParam(params, 'nonce', 22, 256);
  const keyId = stringParam(params, 'keyid', 1, 256);
  const alg = stringParam(params, 'alg', 1, 64);
  if (expires <= created || expires - created > maxValidity) {
    fail('ERR_SIGNATURE_PARAMS', `expires must be within ${maxValidity} s after created`);
  }
  const nowSeconds = now / 1000;
  if (created > nowSeconds + skew) fail('ERR_SIGNATURE_FUTURE', 'signature created in the future');
  if (expires < nowSeconds - skew) fail('ERR_SIGNATURE_EXPIRED', 'signature expired');

  const key = options.keys.get(keyId);
  if (!key || (key.notAfter !== undefined && key.notAfter < now)) {
    fail('ERR_SIGNATURE_UNKNOWN_KEY', 'unknown or retired key id');
  }
  if (!isSignatureAlgorithm(alg) || alg !== key.alg || !algorithms.includes(alg)) {
    fail('ERR_SIGNATURE_ALGORITHM', 'algorithm not allowed for this key');
  }

  const covered = new Set<string>();
  for (const item of items as Item[]) {
    if (typeof item[0] !== 'string')
      fail('ERR_SIGNATURE_MALFORMED', 'a component identifier is not a string');
    if (item[1].size === 0) covered.add(item[0]);
  }
  const body = bodyBytes(request.body);
  const required: string[] = [...TARGET_COMPONENTS];
  if (body.length > 0) {
    required.push('content-digest');
    if (fieldValue(request.headers, 'content-type') !== undefined) required.push('content-type');
  }
  for (const name of IDENTITY_HEADERS) {
    if (fieldValue(request.headers, name) !== undefined) required.push(name);
  }
  for (const name of required) {
    if (!covered.has(name)) fail('ERR_SIGNATURE_COVERAGE', `the signature must cover ${name}`);
  }
  if (covered.has('content-digest')) verifyContentDigest(fieldValue(request.headers, 'content-digest'), body);

  const signatureMember = signatures.get(label);
  if (!signatureMember) fail('ERR_SIGNATURE_MISSING', `no signature for label ${label}`);
  const signatureBytes = isInnerList(signatureMember) ? undefined : signatureMember[0];
  if (!(signatureBytes instanceof ArrayBuffer))
    fail('ERR_SIGNATURE_MALFORMED', 'signature is not a byte sequence');

  const { base } = buildSignatureBase(request, items as Item[], params, resolveTarget(request));
  if (!verifyBase(alg, key.key, base, new Uint8Array(signatureBytes))) {
    fail('ERR_SIGNATURE_INVALID', 'signature does not verify');
  }

  const ttlMs = (expires + skew) * 1000 - now;
  const fresh = await options.nonceStore.claim(`${options.noncePrefix ?? 'sig:'}${keyId}:${nonce}`, ttlMs);
  if (!fresh) fail('ERR_NONCE_REPLAYED', 'nonce already used');

  const result: VerifiedRequest = {
    service: key.service,
    keyId,
    alg,
    label,
    nonce,
    created,
    expires,
    covered: [...covered],
  };
  const tenantId = covered.has('x-tenant-id') ? fieldValue(request.headers, 'x-tenant-id') : undefined;
  const userId = covered.has('x-user-id') ? fieldValue(request.headers, 'x-user-id') : undefined;
  const idempotencyKey = covered.has('idempotency-key')
    ? fieldValue(request.headers, 'idempotency-key')
    : undefined;
  if (tenantId !== undefined) result.tenantId = tenantId;
  if (userId !== undefined) result.userId = userId;
  if (idempotencyKey !== undefined) result.idempotencyKey = idempotencyKey;
  return result;
}

/** {@link verifyRequest} with its options bound once, for a route or plugin. */
export function createRequestVerifier(
  options: VerifyRequestOptions,
): (request: SignableRequest) => Promise<VerifiedRequest> {
  return (request) => verifyRequest(request, options);
}
