import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { assertStrongSecret, MIN_SECRET_BYTES } from '../secrets/assert-strong-secret.js';
import type { SignatureAlgorithm, SigningAlgorithm } from './algorithms.js';

/** HMAC secrets shorter than this are refused: a shared secret must resist offline guessing. */
export const MIN_HMAC_SECRET_BYTES = MIN_SECRET_BYTES;

export type KeyMaterial = string | Uint8Array | KeyObject | JsonWebKey;

/** A key this process signs with. */
export interface SigningKey {
  keyId: string;
  alg: SigningAlgorithm;
  key: KeyObject;
}

/** A key a verifier accepts, bound to one calling service and one algorithm. */
export interface VerificationKey {
  keyId: string;
  service: string;
  alg: SignatureAlgorithm;
  key: KeyObject;
  /** Epoch ms after which the key is no longer accepted (end of a rotation overlap). */
  notAfter?: number;
}

export interface SigningKeyInput {
  keyId: string;
  alg: SigningAlgorithm;
  /** For `hmac-sha256`: at least 32 bytes (strings are UTF-8). */
  secret?: string | Uint8Array;
  /** For `ed25519`: PEM, DER-less JWK or a KeyObject. */
  privateKey?: KeyMaterial;
}

export interface VerificationKeyInput {
  keyId: string;
  service: string;
  alg: SignatureAlgorithm;
  secret?: string | Uint8Array;
  /** PEM (SPKI or PKCS#1), JWK or KeyObject; a private key is accepted and its public half used. */
  publicKey?: KeyMaterial;
  notAfter?: Date | number;
}

function configError(message: string): AuthError {
  return new AuthError('ERR_AUTH_CONFIG', message);
}

function secretKey(keyId: string, secret: string | Uint8Array | undefined): KeyObject {
  if (secret === undefined) throw configError(`key ${keyId}: hmac-sha256 needs a secret`);
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  assertStrongSecret(`key ${keyId}`, bytes);
  return createSecretKey(bytes);
}

function toKeyObject(material: KeyMaterial, kind: 'public' | 'private'): KeyObject {
  if (typeof material === 'object' && 'type' in material && typeof material.type === 'string') {
    const key = material as KeyObject;
    return kind === 'public' && key.type === 'private' ? createPublicKey(key) : key;
  }
  if (typeof material === 'string' || material instanceof Uint8Array) {
    const pem = typeof material === 'string' ? material : Buffer.from(material).toString('utf8');
    if (kind === 'private') return createPrivateKey(pem);
    return createPublicKey(pem);
  }
  const jwk = material as JsonWebKey;
  return kind === 'private'
    ? createPrivateKey({ key: jwk, format: 'jwk' })
    : createPublicKey({ key: jwk, format: 'jwk' });
}

/** Refuses a key whose type does not fit the algorithm, so `alg` can never reinterpret a key. */
export function assertKeyFitsAlgorithm(keyId: string, alg: SignatureAlgorithm, key: KeyObject): void {
  const type = key.asymmetricKeyType;
  const ok =
    (alg === 'hmac-sha256' && key.type === 'secret') ||
    (alg === 'ed25519' && type === 'ed25519') ||
    (alg === 'ecdsa-p256-sha256' && type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') ||
    (alg === 'rsa-pss-sha512' && (type === 'rsa' || type === 'rsa-pss')) ||
    (alg === 'rsa-v1_5-sha256' && type === 'rsa');
  if (!ok) throw configError(`key ${keyId}: a ${type ?? key.type} key cannot be used for ${alg}`);
  if ((type === 'rsa' || type === 'rsa-pss') && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw configError(`key ${keyId}: RSA keys must be at least 2048 bits`);
  }
}

/**
 * A key to sign requests with: an HMAC secret (at least 32 bytes) or an Ed25519 private key.
 * @throws AuthError `ERR_AUTH_CONFIG` for a short secret or a key of the wrong type
 */
export function createSigningKey(input: SigningKeyInput): SigningKey {
  let key: KeyObject;
  try {
    key =
      input.alg === 'hmac-sha256'
        ? secretKey(input.keyId, input.secret)
        : toKeyObject(input.privateKey ?? '', 'private');
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw configError(`key ${input.keyId}: unreadable ${input.alg} key`);
  }
  assertKeyFitsAlgorithm(input.keyId, input.alg, key);
  return { keyId: input.keyId, alg: input.alg, key };
}

/**
 * A verification key bound to a service and an algorithm.
 * @throws AuthError `ERR_AUTH_CONFIG` for a short secret or a key of the wrong type
 */
export function createVerificationKey(input: VerificationKeyInput): VerificationKey {
  let key: KeyObject;
  try {
    key =
      input.alg === 'hmac-sha256'
        ? secretKey(input.keyId, input.secret)
        : toKeyObject(input.publicKey ?? '', 'public');
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw configError(`key ${input.keyId}: unreadable ${input.alg} key`);
  }
  assertKeyFitsAlgorithm(input.keyId, input.alg, key);
  const notAfter = input.notAfter instanceof Date ? input.notAfter.getTime() : input.notAfter;
  return {
    keyId: input.keyId,
    service: input.service,
    alg: input.alg,
    key,
    ...(notAfter === undefined ? {} : { notAfter }),
  };
}

/** The keys a verifier accepts, by key id; several per service so keys rotate without downtime. */
export interface Keyring {
  get(keyId: string): VerificationKey | undefined;
  /** Adds (or replaces) a key: the new key of a rotation, alongside the old one. */
  add(input: VerificationKeyInput | VerificationKey): void;
  /** Removes a key: the end of a rotation. */
  remove(keyId: string): boolean;
  /** Key ids of one service's active keys. */
  keyIdsOf(service: string): string[];
}

/** A keyring over the given keys. Key ids are unique across services. */
export function createKeyring(keys: readonly (VerificationKeyInput | VerificationKey)[] = []): Keyring {
  const byId = new Map<string, VerificationKey>();
  const add = (input: VerificationKeyInput | VerificationKey) => {
    let key: VerificationKey;
    if ('key' in input && typeof input.key === 'object' && 'type' in input.key) {
      key = input as VerificationKey;
      assertKeyFitsAlgorithm(key.keyId, key.alg, key.key);
    } else {
      key = createVerificationKey(input as VerificationKeyInput);
    }
    const existing = byId.get(key.keyId);
    if (existing && existing.service !== key.service) {
      throw configError(`key id ${key.keyId} is already used by another service`);
    }
    byId.set(key.keyId, key);
  };
  for (const key of keys) add(key);
  return {
    get: (keyId) => byId.get(keyId),
    add,
    remove: (keyId) => byId.delete(keyId),
    keyIdsOf: (service) => [...byId.values()].filter((k) => k.service === service).map((k) => k.keyId),
  };
}
