import { randomBytes } from 'node:crypto';
import {
  createKeyring,
  createRequestSigner,
  createSigningKey,
  type Keyring,
  type VerificationKeyInput,
} from '@interlink/auth';
import type { RequestSigner } from '@interlink/client';
import { serviceContracts } from '@interlink/contracts';
import { ConfigError, type ConfigIssue } from '@interlink/core';
import { PLATFORM_EXTRA_GRANTS } from './permission-maps.js';
import { PlatformError } from './platform-error-codes.js';
import { readServiceKeys } from './service-env.js';

/** Every service that may sign a call to one of the five: each contract's consumers, the five, the gateway. */
export function platformCallers(): string[] {
  const names = new Set<string>(['gateway']);
  for (const contract of Object.values(serviceContracts)) {
    names.add(contract.service);
    for (const docs of Object.values(contract.docs))
      for (const consumer of docs.consumers) names.add(consumer);
  }
  for (const grants of Object.values(PLATFORM_EXTRA_GRANTS))
    for (const caller of Object.keys(grants)) names.add(caller);
  return [...names].sort();
}

/** A keyring made at start-up, with the means to sign as any of its services. */
export interface DevKeyring {
  keyring: Keyring;
  services: readonly string[];
  /** An RFC 9421 signer holding `service`'s key. */
  signerFor(service: string): RequestSigner;
}

/**
 * One random HMAC key per service, made at start-up and never written anywhere: for `npm start`
 * and tests. Refused in production, where each service's keys come from its environment.
 */
export function createDevKeyring(
  services: readonly string[] = platformCallers(),
  { production = process.env.NODE_ENV === 'production' }: { production?: boolean } = {},
): DevKeyring {
  if (production) {
    throw new PlatformError(
      'ERR_PLATFORM_CONFIG',
      'a development keyring is refused in production: give each service SERVICE_KEYS and SIGNING_KEY',
    );
  }
  const entries: VerificationKeyInput[] = services.map((service) => ({
    keyId: `dev-${service}`,
    service,
    alg: 'hmac-sha256',
    secret: randomBytes(32).toString('base64url'),
  }));
  const byService = new Map(entries.map((entry) => [entry.service, entry]));
  return {
    keyring: createKeyring(entries),
    services,
    signerFor(service) {
      const entry = byService.get(service);
      if (!entry) throw new PlatformError('ERR_PLATFORM_CONFIG', `no development key for ${service}`);
      return createRequestSigner({
        key: createSigningKey({ keyId: entry.keyId, alg: 'hmac-sha256', secret: entry.secret as string }),
      });
    },
  };
}

/**
 * Trusts the callers of `SERVICE_KEYS` (the production format: a JSON array of `{ keyId, service,
 * alg, secret | publicKey, notAfter? }`) beside the development keyring's own: how a process outside
 * `npm start` (the `operator` of a CLI or a test, or a service of yours run on its own) calls the five.
 * The key is the caller's: `npm start` writes no secret anywhere. What a caller may do is what the
 * services' permission maps grant its name; a name they do not know gets 403 on every route.
 * @returns the services the keys belong to
 * @throws ConfigError naming `SERVICE_KEYS` (a bad entry, or a key id of the development keyring)
 */
export function trustCallerKeys(dev: DevKeyring, value: string): string[] {
  const issues: ConfigIssue[] = [];
  const parsed = readServiceKeys(value, issues);
  if (parsed === undefined) throw new ConfigError(issues);
  for (const service of parsed.services) {
    for (const keyId of parsed.keyring.keyIdsOf(service)) {
      if (dev.keyring.get(keyId) !== undefined) {
        throw new ConfigError([
          { variable: 'SERVICE_KEYS', message: `key id ${keyId} is one of the development keyring's own` },
        ]);
      }
      dev.keyring.add(parsed.keyring.get(keyId)!);
    }
  }
  return parsed.services;
}
