import {
  constants,
  createHmac,
  createPrivateKey,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { lowerCaseHeaders } from '@interlink/core';
import { parseItem } from 'structured-headers';
import { AuthError } from '../errors/auth-error.js';
import type { SignatureAlgorithm } from './algorithms.js';
import { type ComponentId, component } from './component-id.js';
import { createContentDigest } from './content-digest.js';
import { bodyBytes, isResponse, type SignableMessage, type SignableResponse } from './http-message.js';
import { MAX_SIGNATURE_VALIDITY_SECONDS, SIGNATURE_LABEL, SIGNATURE_TAG } from './profile.js';
import { buildSignatureBase } from './signature-base.js';
import { assertKeyFitsAlgorithm, createSigningKey, type KeyMaterial } from './signature-keys.js';

/** A signature parameter a signing profile writes (RFC 9421 §2.3). */
export type SignatureParameter = 'created' | 'expires' | 'nonce' | 'keyid' | 'alg' | 'tag';

/** A component to cover: a name (`@method`), a serialized identifier (`"@query-param";name="Pet"`) or an item. */
export type ComponentSpec = string | ComponentId;

/**
 * How a signer writes its signatures: the label, the covered components in order, and the
 * parameters in order. Interlink's request profile is `signRequest`'s (and the client signer's);
 * this is for responses and other systems' profiles, such as the RFC's own examples.
 */
export interface SigningProfile {
  label: string;
  /** The components to cover, in order; or a function of the message for those present only sometimes. */
  components: readonly ComponentSpec[] | ((message: SignableMessage) => readonly ComponentSpec[]);
  /** The parameters to write, in this order. */
  parameters: readonly SignatureParameter[];
  /** The `tag` value, when `parameters` has `tag`. */
  tag?: string;
  /** `expires - created`, when `parameters` has `expires`: at most 300, 60 by default. */
  expiresInSeconds?: number;
}

/** A key for {@link signMessage}: any algorithm the verifier knows, RFC test keys included. */
export interface MessageSigningKey {
  keyId: string;
  alg: SignatureAlgorithm;
  key: KeyObject;
}

export interface MessageSigningKeyInput {
  keyId: string;
  alg: SignatureAlgorithm;
  /** For `hmac-sha256`: at least 32 bytes. */
  secret?: string | Uint8Array;
  /** For the others: PEM, JWK or a KeyObject. */
  privateKey?: KeyMaterial;
}

/**
 * A signing key of any verifiable algorithm (the request signer itself produces only `hmac-sha256`
 * and `ed25519`).
 * @throws AuthError `ERR_AUTH_CONFIG` for a short secret or a key of the wrong type
 */
export function createMessageSigningKey(input: MessageSigningKeyInput): MessageSigningKey {
  if (input.alg === 'hmac-sha256' || input.alg === 'ed25519') {
    return createSigningKey({ ...input, alg: input.alg });
  }
  let key: KeyObject;
  try {
    const material = input.privateKey ?? '';
    key =
      typeof material === 'object' && 'type' in material && typeof material.type === 'string'
        ? (material as KeyObject)
        : typeof material === 'string' || material instanceof Uint8Array
          ? createPrivateKey(Buffer.from(material))
          : createPrivateKey({ key: material as JsonWebKey, format: 'jwk' });
  } catch {
    throw new AuthError('ERR_AUTH_CONFIG', `key ${input.keyId}: unreadable ${input.alg} key`);
  }
  if (key.type !== 'private') throw new AuthError('ERR_AUTH_CONFIG', `key ${input.keyId}: not a private key`);
  assertKeyFitsAlgorithm(input.keyId, input.alg, key);
  return { keyId: input.keyId, alg: input.alg, key };
}

/**
 * Signs a signature base with any RFC 9421 §3.3 algorithm. Kept apart from `algorithms.ts` (the
 * request signer's hot path, which signs with two algorithms only).
 */
export function signBaseWith(alg: SignatureAlgorithm, key: KeyObject, base: string): Buffer {
  const data = Buffer.from(base);
  switch (alg) {
    case 'hmac-sha256':
      return createHmac('sha256', key).update(data).digest();
    case 'ed25519':
      return sign(null, data, key);
    case 'ecdsa-p256-sha256':
      return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'rsa-pss-sha512':
      return sign('sha512', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 });
    case 'rsa-v1_5-sha256':
      return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING });
  }
}

export interface SignMessageOptions {
  key: MessageSigningKey;
  /** Clock, epoch ms; `Date.now()` by default. */
  now?: number;
  /** The nonce, when the profile writes one; 128 fresh random bits by default. */
  nonce?: string;
}

/** The headers a signed message gets: the signature pair, and the digest when the signer computed it. */
export interface SignedMessageHeaders {
  'signature-input': string;
  signature: string;
  'content-digest'?: string;
}

function toComponent(spec: ComponentSpec): ComponentId {
  if (typeof spec !== 'string') return spec;
  if (!spec.startsWith('"')) return component(spec);
  try {
    return parseItem(spec) as ComponentId;
  } catch {
    throw new AuthError('ERR_AUTH_CONFIG', `component ${spec} is not a serialized component identifier`);
  }
}

/**
 * A signer of one profile: the profile's components are parsed once here, not per message.
 * @throws AuthError `ERR_AUTH_CONFIG` for a profile that cannot be written
 */
export function createMessageSigner(
  profile: SigningProfile,
): (message: SignableMessage, options: SignMessageOptions) => SignedMessageHeaders {
  const validity = profile.expiresInSeconds ?? 60;
  if (!(validity > 0 && validity <= MAX_SIGNATURE_VALIDITY_SECONDS)) {
    throw new AuthError(
      'ERR_AUTH_CONFIG',
      `expiresInSeconds must be in (0, ${MAX_SIGNATURE_VALIDITY_SECONDS}]`,
    );
  }
  if (profile.parameters.includes('tag') && profile.tag === undefined) {
    throw new AuthError('ERR_AUTH_CONFIG', 'a profile that writes tag names it');
  }
  const fixed = typeof profile.components === 'function' ? undefined : profile.components.map(toComponent);
  const componentsOf = profile.components;
  return (message, options) => {
    const components =
      fixed ?? (componentsOf as (m: SignableMessage) => readonly ComponentSpec[])(message).map(toComponent);
    const { key } = options;
    const created = Math.floor((options.now ?? Date.now()) / 1000);
    const params = new Map<string, string | number>();
    for (const name of profile.parameters) {
      if (name === 'created') params.set(name, created);
      else if (name === 'expires') params.set(name, created + Math.floor(validity));
      else if (name === 'nonce') params.set(name, options.nonce ?? randomBytes(16).toString('base64url'));
      else if (name === 'keyid') params.set(name, key.keyId);
      else if (name === 'alg') params.set(name, key.alg);
      else params.set(name, profile.tag!);
    }
    const out: SignedMessageHeaders = { 'signature-input': '', signature: '' };
    let signable = message;
    const headers = lowerCaseHeaders(message.headers);
    const body = bodyBytes(message.body);
    const coversDigest = components.some(([name, p]) => name === 'content-digest' && p.size === 0);
    if (coversDigest && headers['content-digest'] === undefined && body.length > 0) {
      out['content-digest'] = createContentDigest(body);
      signable = { ...message, headers: { ...headers, 'content-digest': out['content-digest'] } };
    }
    const { base, signatureParams } = buildSignatureBase(signable, components, params);
    out['signature-input'] = `${profile.label}=${signatureParams}`;
    out.signature = `${profile.label}=:${signBaseWith(key.alg, key.key, base).toString('base64')}:`;
    return out;
  };
}

/**
 * Signs a request or a response with `profile` (RFC 9421): the profile's components in its
 * order, its parameters in its order, so another system's profile, or the RFC's own examples,
 * come out byte for byte. A covered `content-digest` the message lacks is computed over its body.
 * @throws AuthError when a component is absent or the profile cannot be written
 */
export function signMessage(
  message: SignableMessage,
  profile: SigningProfile,
  options: SignMessageOptions,
): SignedMessageHeaders {
  return createMessageSigner(profile)(message, options);
}

/**
 * Interlink's response profile, as {@link verifyResponse} checks it by default: `@status`, the
 * content digest and type when there is a body, and with `;req` the method and target of the
 * request it answers, so the response cannot be passed off as another request's.
 */
export const INTERLINK_RESPONSE_SIGNING: SigningProfile = Object.freeze({
  label: SIGNATURE_LABEL,
  tag: SIGNATURE_TAG,
  parameters: ['created', 'expires', 'keyid', 'alg', 'tag'] as const,
  components: (message: SignableMessage) => {
    const headers = lowerCaseHeaders(message.headers);
    const list: string[] = ['@status'];
    if (bodyBytes(message.body).length > 0) list.push('content-digest');
    if (headers['content-type'] !== undefined) list.push('content-type');
    if (isResponse(message)) list.push('"@method";req', '"@authority";req', '"@path";req', '"@query";req');
    return list;
  },
});

/** Signs a response with Interlink's response profile ({@link INTERLINK_RESPONSE_SIGNING}). */
export function signResponse(response: SignableResponse, options: SignMessageOptions): SignedMessageHeaders {
  return signMessage(response, INTERLINK_RESPONSE_SIGNING, options);
}
