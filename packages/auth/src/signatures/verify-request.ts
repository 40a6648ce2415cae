import { DEADLINE_HEADER, type HeaderMap, lowerCaseHeaders } from '@interlink/core';
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
import {
  bodyBytes,
  canonicalFieldValue,
  isResponse,
  normalizeAuthority,
  resolveTarget,
  type SignableMessage,
  type SignableRequest,
  type SignableResponse,
} from './http-message.js';
import { MAX_SIGNATURE_VALIDITY_SECONDS, SIGNATURE_CLOCK_SKEW_SECONDS } from './profile.js';
import {
  buildPlainSignatureBase,
  buildSignatureBase,
  component,
  serializeComponentId,
} from './signature-base.js';
import type { Keyring } from './signature-keys.js';
import {
  type CompiledProfile,
  compileProfile,
  INTERLINK_PROFILE,
  INTERLINK_RESPONSE_PROFILE,
  type SignatureProfile,
} from './signature-profile.js';

export interface VerifyRequestOptions {
  keys: Keyring;
  /**
   * Where accepted nonces are remembered; share one (Redis) across replicas. Required when the
   * profile requires a nonce (Interlink's does).
   */
  nonceStore?: NonceStore;
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
  /**
   * The authorities (`host[:port]`, as callers address this service, without a default port) this
   * receiver answers to. The signed `@authority` must be one of them, and must be covered: a
   * request signed for another service is refused, whatever `Host` it arrives with. Without it
   * the request's `expectedAuthority` (set by the Fastify plugin) binds it, and without that the
   * signature is not bound to a receiver.
   */
  authority?: string | readonly string[];
  /** What a signature must carry and cover; Interlink's profile ({@link INTERLINK_PROFILE}) by default. */
  profile?: SignatureProfile;
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
  /** True when the signature carried no `nonce` (another profile): replays are not detected. */
  nonceless?: boolean;
  tenantId?: string;
  userId?: string;
  idempotencyKey?: string;
  /** The caller's deadline header (`x-interlink-deadline`), when covered. */
  deadline?: string;
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

function selectSignature(input: Dictionary, profile: CompiledProfile): SelectedSignature {
  let found: [string, InnerList] | undefined;
  const { tag, label: wanted } = profile;
  for (const [label, member] of input) {
    if (!isInnerList(member)) continue;
    if (tag !== undefined ? member[1].get('tag') !== tag : wanted !== undefined && label !== wanted) continue;
    if (found) fail('ERR_SIGNATURE_MALFORMED', `more than one signature is ${describe(profile)}`);
    found = [label, member];
  }
  if (!found) fail('ERR_SIGNATURE_MISSING', `no signature ${describe(profile)}`);
  const [label, [items, params]] = found;
  return { label, params, items, names: undefined, signatureParams: undefined };
}

function describe(profile: CompiledProfile): string {
  if (profile.tag !== undefined) return `tagged ${profile.tag}`;
  return profile.label !== undefined ? `labelled ${profile.label}` : 'in the header';
}

/**
 * Reads `Signature-Input`: the signer's own shape through the fast path (a single member, so no
 * repeated label), anything else through the full parser with the duplicate-label check.
 */
function readSignatureInput(value: string): SignatureInputMember | Dictionary {
  return matchSignatureInput(value) ?? parseSignatureDictionary('signature-input', value);
}

function selectFastSignature(input: SignatureInputMember, profile: CompiledProfile): SelectedSignature {
  const { tag, label: wanted } = profile;
  if (tag !== undefined ? input.params.get('tag') !== tag : wanted !== undefined && input.label !== wanted) {
    fail('ERR_SIGNATURE_MISSING', `no signature ${describe(profile)}`);
  }
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

function intParam(params: Parameters, name: string, required = true): number | undefined {
  const value = params.get(name);
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail('ERR_SIGNATURE_PARAMS', `${name} must be a non-negative integer`);
  }
  return value;
}

function stringParam(params: Parameters, name: string, min: number, max: number, required = true) {
  const value = params.get(name);
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    fail('ERR_SIGNATURE_PARAMS', `${name} must be a string of ${min} to ${max} characters`);
  }
  return value;
}

/**
 * Verifies a request signed with Interlink's RFC 9421 profile (or `options.profile`) and records
 * its nonce. Checks, in order: header sizes, duplicate labels, structured-field syntax, the
 * `tag="interlink"` signature, its parameters and time window (30 s skew, at most 300 s
 * validity), the key and the algorithm bound to it, the receiver's authority, the required
 * coverage (a signer cannot drop `content-digest`), the digest of the raw body, the signature,
 * and last the nonce (so only genuine signatures consume store space).
 * @throws AuthError with a stable `ERR_*` code; never anything else for bad input
 */
export function verifyRequest(
  request: SignableRequest,
  options: VerifyRequestOptions,
): Promise<VerifiedRequest> {
  return verifyWith(request, options, requestConfigs, INTERLINK);
}

/**
 * Verifies a signed response (RFC 9421 §2.4): Interlink's response profile by default, which
 * covers `@status` and, with `;req`, the method and target of `response.request`, the request it
 * answers. Options as {@link verifyRequest}'s (no authority binding: the request is the caller's own).
 * @throws AuthError with a stable `ERR_*` code
 */
export function verifyResponse(
  response: SignableResponse,
  options: Omit<VerifyRequestOptions, 'authority'>,
): Promise<VerifiedRequest> {
  return verifyWith(response, options, responseConfigs, INTERLINK_RESPONSE);
}

function verifyWith(
  message: SignableMessage,
  options: VerifyRequestOptions,
  cache: WeakMap<object, VerifierConfig>,
  defaultProfile: CompiledProfile,
): Promise<VerifiedRequest> {
  let config: VerifierConfig;
  try {
    config = configFor(options, cache, defaultProfile);
  } catch (error) {
    return Promise.reject(error);
  }
  return verifyMessage(message, config);
}

function verifyMessage(message: SignableMessage, config: VerifierConfig): Promise<VerifiedRequest> {
  // The checks run synchronously, then one `then` on the nonce claim: an async function here cost
  // a promise and a suspended frame more per request. A thrown check still rejects, never throws.
  let checked: CheckedRequest;
  let claim: Promise<boolean>;
  try {
    checked = checkMessage(message, config);
    if (checked.nonceKey === undefined) return Promise.resolve(checked.verified);
    claim = config.nonceStore!.claim(checked.nonceKey, checked.ttlMs);
  } catch (error) {
    return Promise.reject(error);
  }
  return claim.then((fresh) => {
    if (!fresh) fail('ERR_NONCE_REPLAYED', 'nonce already used');
    return checked.verified;
  });
}

/** A verifier's options with everything that does not depend on the request worked out once. */
interface VerifierConfig {
  keys: Keyring;
  nonceStore: NonceStore | undefined;
  now: () => number;
  skew: number;
  maxValidity: number;
  maxBytes: number;
  algorithms: readonly SignatureAlgorithm[];
  noncePrefix: string;
  /** Normalized; undefined when the options bind to no authority. */
  authorities: readonly string[] | undefined;
  profile: CompiledProfile;
}

// Options compiled on first use, per options object: a caller passing the same options on every
// call pays for the profile and authorities once. Options are read once; change them by passing new ones.
const requestConfigs = new WeakMap<object, VerifierConfig>();
const responseConfigs = new WeakMap<object, VerifierConfig>();
const INTERLINK = compileProfile(INTERLINK_PROFILE);
const INTERLINK_RESPONSE = compileProfile(INTERLINK_RESPONSE_PROFILE);

function configFor(
  options: VerifyRequestOptions,
  cache: WeakMap<object, VerifierConfig>,
  defaultProfile: CompiledProfile,
): VerifierConfig {
  let config = cache.get(options);
  if (config === undefined) {
    config = compileOptions(options, defaultProfile);
    cache.set(options, config);
  }
  return config;
}

function compileOptions(options: VerifyRequestOptions, defaultProfile: CompiledProfile): VerifierConfig {
  const profile = options.profile ? compileProfile(options.profile) : defaultProfile;
  if (profile.requireNonce && !options.nonceStore) {
    throw new AuthError('ERR_AUTH_CONFIG', 'this signature profile requires nonces: give a nonceStore');
  }
  // A negative or huge skew, or a validity of 0, would shift the acceptance window away from the
  // nonce's lifetime or make no signature valid: refused here rather than guessed at.
  const skew = options.clockSkewSeconds ?? SIGNATURE_CLOCK_SKEW_SECONDS;
  if (!(skew >= 0 && skew <= MAX_SIGNATURE_VALIDITY_SECONDS)) {
    throw new AuthError(
      'ERR_AUTH_CONFIG',
      `clockSkewSeconds must be in [0, ${MAX_SIGNATURE_VALIDITY_SECONDS}]`,
    );
  }
  const maxValidity = Math.min(
    options.maxValiditySeconds ?? MAX_SIGNATURE_VALIDITY_SECONDS,
    MAX_SIGNATURE_VALIDITY_SECONDS,
  );
  if (!(maxValidity > 0)) throw new AuthError('ERR_AUTH_CONFIG', 'maxValiditySeconds must be positive');
  return {
    keys: options.keys,
    nonceStore: options.nonceStore,
    now: options.now ?? Date.now,
    skew,
    maxValidity,
    maxBytes: options.maxHeaderBytes ?? 8192,
    algorithms: options.algorithms ?? SIGNATURE_ALGORITHMS,
    noncePrefix: options.noncePrefix ?? 'sig:',
    authorities: options.authority === undefined ? undefined : normalizeAuthorities(options.authority),
    profile,
  };
}

/**
 * The authorities a receiver answers to, as compared with a request's: lower-case, trimmed.
 * @throws AuthError `ERR_AUTH_CONFIG` for an empty list or value
 */
export function normalizeAuthorities(authority: string | readonly string[]): readonly string[] {
  const list = (typeof authority === 'string' ? [authority] : [...authority]).map((a) =>
    normalizeAuthority(a, undefined),
  );
  if (list.length === 0 || list.some((a) => a === '' || /[\s/?#@]/.test(a))) {
    throw new AuthError('ERR_AUTH_CONFIG', 'authority must be one or more host[:port] values');
  }
  return list;
}

const normalizedLists = new WeakMap<readonly string[], readonly string[]>();

/** A request's `expectedAuthority`, normalized; a list handed in again (the plugin's) only once. */
function expectedAuthorities(expected: string | readonly string[]): readonly string[] {
  if (typeof expected === 'string') return normalizeAuthorities(expected);
  let list = normalizedLists.get(expected);
  if (!list) {
    list = normalizeAuthorities(expected);
    normalizedLists.set(expected, list);
  }
  return list;
}

/** A message whose signature verified: what to claim in the nonce store, and what to return then. */
interface CheckedRequest {
  /** Undefined when the signature carries no nonce (a profile that does not require one). */
  nonceKey: string | undefined;
  ttlMs: number;
  verified: VerifiedRequest;
}

/** Every check of {@link verifyRequest} but the nonce, in its order. */
function checkMessage(message: SignableMessage, config: VerifierConfig): CheckedRequest {
  const headers = lowerCaseHeaders(message.headers);
  if (headers !== message.headers) message = { ...message, headers };
  const { profile, skew, maxBytes } = config;
  const now = config.now();

  // Each header is read once, with a constant key (see canonicalFieldValue).
  const inputHeader = headerString(headers['signature-input'], 'signature-input', maxBytes);
  const signatureHeader = headerString(headers.signature, 'signature', maxBytes);
  if (inputHeader === undefined || signatureHeader === undefined) {
    fail('ERR_SIGNATURE_MISSING', 'signature-input and signature headers are required');
  }
  const inputs = readSignatureInput(inputHeader);
  const signatures = readSignature(signatureHeader);
  const selected =
    inputs instanceof Map ? selectSignature(inputs, profile) : selectFastSignature(inputs, profile);
  const { label, params } = selected;

  const created = intParam(params, 'created')!;
  const expires = intParam(params, 'expires', profile.requireExpires);
  const nonce = stringParam(params, 'nonce', 22, 256, profile.requireNonce);
  const keyId = stringParam(params, 'keyid', 1, 256)!;
  const algParam = stringParam(params, 'alg', 1, 64, profile.requireAlg);
  const { maxValidity } = config;
  if (expires !== undefined && (expires <= created || expires - created > maxValidity)) {
    fail('ERR_SIGNATURE_PARAMS', `expires must be within ${maxValidity} s after created`);
  }
  // Accepted until `expires`, and never past `created` + the profile's maximum age.
  const end = Math.min(expires ?? Number.POSITIVE_INFINITY, created + profile.maxAgeSeconds);
  const nowSeconds = now / 1000;
  if (created > nowSeconds + skew) fail('ERR_SIGNATURE_FUTURE', 'signature created in the future');
  if (end < nowSeconds - skew) fail('ERR_SIGNATURE_EXPIRED', 'signature expired');

  const key = config.keys.get(keyId);
  if (!key || (key.notAfter !== undefined && key.notAfter < now)) {
    fail('ERR_SIGNATURE_UNKNOWN_KEY', 'unknown or retired key id');
  }
  const alg = algParam ?? key.alg;
  if (!isSignatureAlgorithm(alg) || alg !== key.alg || !config.algorithms.includes(alg)) {
    fail('ERR_SIGNATURE_ALGORITHM', 'algorithm not allowed for this key');
  }

  // Components with parameters (`@query-param;name=`, `;req`) are covered too, but count as the
  // plain components a profile requires only when it names them with their parameters.
  let covered: string[];
  let coveredItems: string[] | undefined;
  if (selected.names) covered = selected.names as string[];
  else {
    covered = [];
    coveredItems = [];
    for (const item of selected.items!) {
      if (typeof item[0] !== 'string')
        fail('ERR_SIGNATURE_MALFORMED', 'a component identifier is not a string');
      if (item[1].size === 0) {
        if (!covered.includes(item[0])) covered.push(item[0]);
      } else coveredItems.push(serializeComponentId(item));
    }
  }
  const request = isResponse(message) ? undefined : message;
  const target = request ? resolveTarget(request) : undefined;
  // Only a request is bound to its receiver; a response is bound to its request by `;req`.
  const authorities = !request
    ? undefined
    : (config.authorities ??
      (request.expectedAuthority === undefined ? undefined : expectedAuthorities(request.expectedAuthority)));
  if (authorities !== undefined) {
    // Bound to this receiver: the signed authority is one this service answers to, never merely
    // the one the caller's Host header names.
    requireCovered(covered, '@authority');
    if (!authorities.includes(target!.authority)) {
      fail('ERR_SIGNATURE_AUTHORITY', 'the request was signed for another authority than this service');
    }
  }
  const body = bodyBytes(message.body);
  for (const name of profile.requiredNames) requireCovered(covered, name);
  for (const id of profile.requiredItems) {
    if (!coveredItems?.includes(id)) fail('ERR_SIGNATURE_COVERAGE', `the signature must cover ${id}`);
  }
  if (body.length > 0 && profile.requireBodyCoverage) {
    requireCovered(covered, 'content-digest');
    if (headers['content-type'] !== undefined) requireCovered(covered, 'content-type');
  }
  // Every identity header present must be covered (a header added to the list is covered too).
  for (const name of profile.coveredWhenPresent) {
    if (headers[name] !== undefined) requireCovered(covered, name);
  }
  if (covered.includes('content-digest')) {
    verifyContentDigest(canonicalFieldValue(headers['content-digest']), body);
  }

  const signatureBytes = signatureFor(signatures, label);
  const base =
    selected.names && request
      ? buildPlainSignatureBase(request, target!, selected.names, selected.signatureParams!)
      : buildSignatureBase(
          message,
          selected.items ?? selected.names!.map((name) => component(name)),
          params,
          target,
        ).base;
  if (!verifyBase(alg, key.key, base, signatureBytes)) {
    fail('ERR_SIGNATURE_INVALID', 'signature does not verify');
  }

  const result: VerifiedRequest = {
    service: key.service,
    keyId,
    alg,
    label,
    nonce: nonce ?? '',
    created,
    expires: expires ?? end,
    // The base refuses a component covered twice, so a verified list has no duplicates; the fast
    // path's list is this request's own, so it is handed out as it is.
    covered,
  };
  if (nonce === undefined) result.nonceless = true;
  // Identity headers count only when the signature covers them; present ones were required above.
  const tenantId = covered.includes('x-tenant-id') ? canonicalFieldValue(headers['x-tenant-id']) : undefined;
  const userId = covered.includes('x-user-id') ? canonicalFieldValue(headers['x-user-id']) : undefined;
  const idempotencyKey = covered.includes('idempotency-key')
    ? canonicalFieldValue(headers['idempotency-key'])
    : undefined;
  const deadline = covered.includes(DEADLINE_HEADER)
    ? canonicalFieldValue(headers[DEADLINE_HEADER])
    : undefined;
  if (tenantId !== undefined) result.tenantId = tenantId;
  if (userId !== undefined) result.userId = userId;
  if (idempotencyKey !== undefined) result.idempotencyKey = idempotencyKey;
  if (deadline !== undefined) result.deadline = deadline;
  return {
    nonceKey:
      nonce === undefined || !config.nonceStore ? undefined : `${config.noncePrefix}${keyId}:${nonce}`,
    // Remembered for as long as the signature could be accepted: up to and including the last
    // millisecond of its end plus the skew (a store forgets a key once its ttl has passed, so
    // without the 1 the signature would outlive its nonce by that millisecond).
    ttlMs: (end + skew) * 1000 - now + 1,
    verified: result,
  };
}

function requireCovered(covered: readonly string[], name: string): void {
  if (!covered.includes(name)) fail('ERR_SIGNATURE_COVERAGE', `the signature must cover ${name}`);
}

/** A configured request verifier, as the Fastify plugin takes it. */
export interface RequestVerifier {
  (request: SignableRequest): Promise<VerifiedRequest>;
  /** The authorities it is bound to (normalized), when configured. */
  readonly authorities: readonly string[] | undefined;
}

/**
 * {@link verifyRequest} with its options checked and compiled once (profile, authorities), for a
 * route or plugin.
 * @throws AuthError `ERR_AUTH_CONFIG` for a profile or authority that cannot work
 */
export function createRequestVerifier(options: VerifyRequestOptions): RequestVerifier {
  const config = compileOptions(options, INTERLINK);
  const verifier = (request: SignableRequest) => verifyMessage(request, config);
  return Object.assign(verifier, { authorities: config.authorities });
}
