import { randomBytes } from 'node:crypto';
import { serviceContracts } from '@interlink/contracts';
import { ConfigError } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { createDevKeyring, trustCallerKeys } from './dev-keyring.js';
import { OPERATOR, platformPermissionMap, readOnlyPermissions } from './permission-maps.js';

const secret = () => randomBytes(32).toString('base64url');
const keys = (...entries: Array<{ keyId: string; service: string }>) =>
  JSON.stringify(entries.map((entry) => ({ ...entry, alg: 'hmac-sha256', secret: secret() })));

/** The variable and message of the one issue a ConfigError names. */
function issueOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map(({ variable }) => variable);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('SERVICE_KEYS in development (trustCallerKeys)', () => {
  it("adds the callers' keys beside the development keys and names their services", () => {
    const dev = createDevKeyring(['ticket-service'], { production: false });
    const services = trustCallerKeys(dev, keys({ keyId: 'me-1', service: OPERATOR }));
    expect(services).toEqual([OPERATOR]);
    expect(dev.keyring.get('me-1')?.service).toBe(OPERATOR);
    expect(dev.keyring.keyIdsOf('ticket-service')).toEqual(['dev-ticket-service']);
  });

  it('refuses a key id of the development keyring, so no outside key replaces a service key', () => {
    const dev = createDevKeyring(['ticket-service'], { production: false });
    expect(
      issueOf(() => trustCallerKeys(dev, keys({ keyId: 'dev-ticket-service', service: OPERATOR }))),
    ).toEqual(['SERVICE_KEYS']);
    expect(dev.keyring.get('dev-ticket-service')?.service).toBe('ticket-service');
  });

  it('refuses a malformed value, naming SERVICE_KEYS', () => {
    const dev = createDevKeyring(['ticket-service'], { production: false });
    expect(issueOf(() => trustCallerKeys(dev, '[{"keyId":"me-1"}]'))).toEqual(['SERVICE_KEYS']);
    expect(issueOf(() => trustCallerKeys(dev, 'not json'))).toEqual(['SERVICE_KEYS']);
  });
});

describe('the operator', () => {
  it('holds, on each service, only permissions that no POST route needs', () => {
    const granted = Object.fromEntries(
      Object.values(serviceContracts).map((contract) => [
        contract.service,
        platformPermissionMap(contract)[OPERATOR],
      ]),
    );
    expect(granted).toEqual({
      'ticket-service': ['tickets:read'],
      'auth-service': ['users:read'],
      'order-service': ['orders:read', 'orders:reconcile'],
      'event-service': ['events:read'],
      'venue-service': ['venues:read', 'venues:validate-tickets'],
    });
    for (const contract of Object.values(serviceContracts)) {
      const permissions = new Set(readOnlyPermissions(contract));
      for (const [operation, route] of Object.entries(contract.routes)) {
        if (route.method !== 'GET') expect(permissions.has(contract.docs[operation]!.permission)).toBe(false);
      }
    }
  });
});
