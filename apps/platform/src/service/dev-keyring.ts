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
import { PLATFORM_EXTRA_GRANTS } from './permission-maps.js';
import { PlatformError } from './platform-error-codes.js';

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
