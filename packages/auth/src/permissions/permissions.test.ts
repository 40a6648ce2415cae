import type { Principal } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { SEED_001_SERVICE_PERMISSIONS } from '../presets/seed-service-permissions.js';
import { hasPermission, permissionMatches } from './permission-matches.js';
import { requirePermission, servicePermissions } from './service-permissions.js';

const service = (name: string): Principal => ({
  kind: 'service',
  service: name,
  roles: [],
  permissions: servicePermissions(SEED_001_SERVICE_PERMISSIONS, name),
  scheme: 'rfc9421',
});

describe('permissions', () => {
  it.each([
    ['webhooks:*', 'webhooks:receive', true],
    ['webhooks:*', 'webhooks:stripe:replay', true],
    ['webhooks:*', 'webhooksx:read', false],
    ['webhooks:*', 'webhooks', false],
    ['*', 'anything:at-all', true],
    ['sync:events', 'sync:events', true],
    ['sync:events', 'sync:tickets', false],
    ['sync:events', 'sync:*', false],
  ])('%s grants %s: %s', (granted, required, expected) => {
    expect(permissionMatches(granted, required)).toBe(expected);
  });

  it("applies seed 001's map: payment-service may receive webhooks (webhooks:*), notification-service may not", () => {
    expect(() => requirePermission(service('payment-service'), 'webhooks:receive')).not.toThrow();
    expect(() => requirePermission(service('notification-service'), 'webhooks:receive')).toThrow(
      expect.objectContaining({ code: 'ERR_PERMISSION_DENIED', status: 403 }),
    );
    expect(hasPermission(service('event-service').permissions, 'sync:events')).toBe(true);
    expect(hasPermission(service('event-service').permissions, 'sync:payments')).toBe(false);
  });

  it('refuses a service not in the allowlist, including inherited object keys', () => {
    expect(() => servicePermissions(SEED_001_SERVICE_PERMISSIONS, 'rogue-service')).toThrow(
      expect.objectContaining({ code: 'ERR_SERVICE_NOT_ALLOWED', status: 403 }),
    );
    expect(() => servicePermissions(SEED_001_SERVICE_PERMISSIONS, 'constructor')).toThrow(
      expect.objectContaining({ code: 'ERR_SERVICE_NOT_ALLOWED' }),
    );
  });
});
