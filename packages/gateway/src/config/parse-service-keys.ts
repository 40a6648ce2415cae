import type { JsonWebKey } from 'node:crypto';
import {
  createKeyring,
  isSignatureAlgorithm,
  type Keyring,
  type VerificationKeyInput,
} from '@interlink/auth';
import { KeyConfigProblem, parseJson } from './key-config-problem.js';

const ENTRY_FIELDS = new Set(['keyId', 'service', 'alg', 'secret', 'publicKey', 'notAfter']);

function entryOf(raw: unknown, index: number): VerificationKeyInput {
  const at = `entry ${index + 1}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new KeyConfigProblem(`${at} is not an object`);
  }
  const entry = raw as Record<string, unknown>;
  const unknown = Object.keys(entry).find((field) => !ENTRY_FIELDS.has(field));
  if (unknown !== undefined)
    throw new KeyConfigProblem(`${at} has an unknown field ${JSON.stringify(unknown)}`);
  const { keyId, service, alg, secret, publicKey, notAfter } = entry;
  if (typeof keyId !== 'string' || !/^[A-Za-z0-9._:-]{1,256}$/.test(keyId)) {
    throw new KeyConfigProblem(`${at}: keyId must be 1 to 256 letters, digits or . _ : -`);
  }
  const name = `key ${keyId}`;
  if (typeof service !== 'string' || service.length === 0 || service.length > 128) {
    throw new KeyConfigProblem(`${name}: service must be a name of 1 to 128 characters`);
  }
  if (!isSignatureAlgorithm(alg)) {
    throw new KeyConfigProblem(
      `${name}: alg must be hmac-sha256, ed25519, ecdsa-p256-sha256, rsa-pss-sha512 or rsa-v1_5-sha256`,
    );
  }
  const hmac = alg === 'hmac-sha256';
  if (hmac && (typeof secret !== 'string' || publicKey !== undefined)) {
    throw new KeyConfigProblem(`${name}: hmac-sha256 takes a secret (string) and no publicKey`);
  }
  if (!hmac && (secret !== undefined || !(typeof publicKey === 'string' || typeof publicKey === 'object'))) {
    throw new KeyConfigProblem(`${name}: ${alg} takes a publicKey (PEM or JWK) and no secret`);
  }
  let retiresAt: number | undefined;
  if (notAfter !== undefined) {
    retiresAt = typeof notAfter === 'string' ? Date.parse(notAfter) : Number.NaN;
    if (Number.isNaN(retiresAt)) throw new KeyConfigProblem(`${name}: notAfter must be an ISO 8601 date`);
  }
  return {
    keyId,
    service,
    alg,
    ...(hmac
      ? { secret: secret as string }
      : {
          publicKey:
            typeof publicKey === 'string' ? publicKey.replace(/\\n/g, '\n') : (publicKey as JsonWebKey),
        }),
    ...(retiresAt !== undefined ? { notAfter: retiresAt } : {}),
  };
}

/** The parsed `SERVICE_KEYS`: the keyring and the services it names. */
export interface ServiceKeys {
  keyring: Keyring;
  services: string[];
}

/**
 * `SERVICE_KEYS`: a JSON array of `{ keyId, service, alg, secret | publicKey, notAfter? }`, the
 * keys whose RFC 9421 signatures `POST /internal/events` accepts. Several keys per service let
 * keys rotate; `notAfter` ends an old key's overlap.
 * @throws KeyConfigProblem or auth's `ERR_AUTH_CONFIG` error, both printable
 */
export function parseServiceKeys(value: string): ServiceKeys {
  const parsed = parseJson(value, 'the value');
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new KeyConfigProblem('must be a JSON array of at least one key');
  }
  const entries = parsed.map(entryOf);
  const seen = new Set<string>();
  for (const { keyId } of entries) {
    if (seen.has(keyId)) throw new KeyConfigProblem(`key id ${keyId} appears twice`);
    seen.add(keyId);
  }
  return { keyring: createKeyring(entries), services: [...new Set(entries.map((e) => e.service))] };
}
