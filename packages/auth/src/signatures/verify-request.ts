import { type HeaderMap, lowerCaseHeaders } from '@interlink/core';
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
import {
  type ByteSequenceMember,
  matchByteSequence,
  matchSignatureInput,
  type SignatureInputMember,
} from './fast-structured-fields.js';
import { bodyBytes, canonicalFieldValue, resolveTarget, type SignableRequest } from './http-message.js';
import {
  IDENTITY_HEADERS,
  MAX_SIGNATURE_VALIDITY_SECONDS,
  SIGNATURE_CLOCK_SKEW_SECONDS,
  SIGNATURE_TAG,
  TARGET_COMPONENTS,
} from './profile.js';
import { buildPlainSignatureBase, buildSignatureBase } from './signature-base.js';
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

function headerString(raw: HeaderMap[string], name: string, max: number): string | undefined {
  const value = canonicalFieldValue(raw);
  if (value !== undefined && value.length > max) {
    fail('ERR_SIGNATURE_HEADER_TOO_LARGE', `${name} is larger than ${max} bytes`);
  }
  return value;
}

function parseSignatureDictionary(name: string, value: string): Dictionary {
  const keys = dictionaryKeys(value);
  if (new Set(keys).size !== keys.length) fail('ERR_SIGNATURE_DUPLICATE_LABEL', `${name} repeats a label`);
  try {
    return parseDictionary(value);
  } catch {
    return fail('ERR_SIGNATURE_MALFORMED', `${name} is not a structured dictionary`);
  }
}

/** The signature this profile verifies, read from `Signature-Input`. */
interface SelectedSignature {
  label: string;
  params: Parameters;
  /** The covered components; `names` holds them as strings when none has parameters. */
  items: readonly Item[] | undefined;
  names: readonly string[] | undefined;
  /** The serialized inner list, when already known. */
  signatureParams: string | undefined;
}

function selectSignature(input: Dictionary, tag: string): SelectedSignature {
  let found: [string, InnerList] | undefined;
  for (const [label, member] of input) {
    if (!isInnerList(member) || member[1].get('tag') !== tag) continue;
    if (found) fail('ERR_SIGNATURE_MALFORMED', `more than one signature is tagged ${tag}`);
    found = [label, member];
  }
  if (!found) fail('ERR_SIGNATURE_MISSING', `no signature tagged ${tag}`);
  const [label, [items, params]] = found;
  return { label, params, items, names: undefined, signatureParams: undefined };
}

/**
 * Reads `Signature-Input`: the signer's own shape through the fast path (a single member, so no
 * repeated label), anything else through the full parser with the duplicate-label check.
 */
function readSignatureInput(value: string): SignatureInputMember | Dictionary {
  return matchSignatureInput(value) ?? parseSignatureDictionary('signature-input', value);
}

function selectFastSignature(input: SignatureInputMember, tag: string): SelectedSignature {
  if (input.params.get('tag') !== tag) fail('ERR_SIGNATURE_MISSING', `no signature tagged ${tag}`);
  const { label, params, components, innerList } = input;
  return { label, params, items: undefined, names: components, signatureParams: innerList };
}

/** Reads `Signature`, fast path as above. */
function readSignature(value: string): ByteSequenceMember | Dictionary {
  return matchByteSequence(value) ?? parseSignatureDictionary('signature', value);
}

function signatureFor(signatures: ByteSequenceMember | Dictionary, label: string): Uint8Array {
  if (!(signatures instanceof Map)) {
    if (signatures.label !== label) fail('ERR_SIGNATURE_MISSING', `no signature for label ${label}`);
    return Buffer.from(signatures.base64, 'base64');
  }
  const member = signatures.get(label);
  if (!member) fail('ERR_SIGNATURE_MISSING', `no signature for label ${label}`);
  const bytes = isInnerList(member) ? undefined : member[0];
  if (!(bytes instanceof ArrayBuffer)) fail('ERR_SIGNATURE_MALFORMED', 'signature is not a byte sequence');
  return new Uint8Array(bytes);
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
export function verifyRequest(
  request: SignableRequest,
  options: VerifyRequestOptions,
): Promise<VerifiedRequest> {
  // The checks run synchronously, then one `then` on the nonce claim: an async function here cost
  // a promise and a suspended frame more per request. A thrown check still rejects, never throws.
  let checked: CheckedRequest;
  let claim: Promise<boolean>;
  try {
    checked = checkRequest(request, options);
    claim = options.nonceStore.claim(checked.nonceKey, checked.ttlMs);
  } catch (error) {
    return Promise.reject(error);
  }
  return claim.then((fresh) => {
    if (!fresh) fail('ERR_NONCE_REPLAYED', 'nonce already used');
    return checked.verified;
  });
}

/** A request whose signature verified: what to claim in the nonce store, and what to return then. */
interface CheckedRequest {
  nonceKey: string;
  ttlMs: number;
  verified: VerifiedRequest;
}

/** Every check of {@link verifyRequest} but the nonce, in its order. */
function checkRequest(request: SignableRequest, options: VerifyRequestOptions): CheckedRequest {
  const headers = lowerCaseHeaders(request.headers);
  if (headers !== request.headers) request = { ...request, headers };
  const now = (options.now ?? Date.now)();
  const skew = options.clockSkewSeconds ?? SIGNATURE_CLOCK_SKEW_SECONDS;
  const maxValidity = Math.min(
    options.maxValiditySeconds ?? MAX_SIGNATURE_VALIDITY_SECONDS,
    MAX_SIGNATURE_VALIDITY_SECONDS,
  );
  const maxBytes = options.maxHeaderBytes ?? 8192;
  const algorithms = options.algorithms ?? SIGNATURE_ALGORITHMS;

  // Each header is read once, with a constant key (see canonicalFieldValue).
  const inputHeader = headerString(headers['signature-input'], 'signature-input', maxBytes);
  const signatureHeader = headerString(headers.signature, 'signature', maxBytes);
  if (inputHeader === undefined || signatureHeader === undefined) {
    fail('ERR_SIGNATURE_MISSING', 'signature-input and signature headers are required');
  }
  const inputs = readSignatureInput(inputHeader);
  const signatures = readSignature(signatureHeader);
  const selected =
    inputs instanceof Map
      ? selectSignature(inputs, SIGNATURE_TAG)
      : selectFastSignature(inputs, SIGNATURE_TAG);
  const { label, params } = selected;

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

  // Components with parameters (`@query-param;name=`) are covered too, but do not count as the
  // plain components the profile requires.
  let covered: string[];
  if (selected.names) covered = selected.names as string[];
  else {
    covered = [];
    for (const item of selected.items!) {
      if (typeof item[0] !== 'string')
        fail('ERR_SIGNATURE_MALFORMED', 'a component identifier is not a string');
      if (item[1].size === 0 && !covered.includes(item[0])) covered.push(item[0]);
    }
  }
  const body = bodyBytes(request.body);
  for (const name of TARGET_COMPONENTS) requireCovered(covered, name);
  if (body.length > 0) {
    requireCovered(covered, 'content-digest');
    if (headers['content-type'] !== undefined) requireCovered(covered, 'content-type');
  }
  // Every identity header present must be covered (a header added to the list is covered too).
  for (const name of IDENTITY_HEADERS) {
    if (headers[name] !== undefined) requireCovered(covered, name);
  }
  if (covered.includes('content-digest')) {
    verifyContentDigest(canonicalFieldValue(headers['content-digest']), body);
  }

  const signatureBytes = signatureFor(signatures, label);
  const target = resolveTarget(request);
  const base = selected.names
    ? buildPlainSignatureBase(request, target, selected.names, selected.signatureParams!)
    : buildSignatureBase(request, selected.items!, params, target).base;
  if (!verifyBase(alg, key.key, base, signatureBytes)) {
    fail('ERR_SIGNATURE_INVALID', 'signature does not verify');
  }

  const result: VerifiedRequest = {
    service: key.service,
    keyId,
    alg,
    label,
    nonce,
    created,
    expires,
    // The base refuses a component covered twice, so a verified list has no duplicates; the fast
    // path's list is this request's own, so it is handed out as it is.
    covered,
  };
  // Identity headers count only when the signature covers them; present ones were required above.
  const tenantId = covered.includes('x-tenant-id') ? canonicalFieldValue(headers['x-tenant-id']) : undefined;
  const userId = covered.includes('x-user-id') ? canonicalFieldValue(headers['x-user-id']) : undefined;
  const idempotencyKey = covered.includes('idempotency-key')
    ? canonicalFieldValue(headers['idempotency-key'])
    : undefined;
  if (tenantId !== undefined) result.tenantId = tenantId;
  if (userId !== undefined) result.userId = userId;
  if (idempotencyKey !== undefined) result.idempotencyKey = idempotencyKey;
  return {
    nonceKey: `${options.noncePrefix ?? 'sig:'}${keyId}:${nonce}`,
    ttlMs: (expires + skew) * 1000 - now,
    verified: result,
  };
}

function requireCovered(covered: readonly string[], name: string): void {
  if (!covered.includes(name)) fail('ERR_SIGNATURE_COVERAGE', `the signature must cover ${name}`);
}

/** {@link verifyRequest} with its options bound once, for a route or plugin. */
export function createRequestVerifier(
  options: VerifyRequestOptions,
): (request: SignableRequest) => Promise<VerifiedRequest> {
  return (request) => verifyRequest(request, options);
}
