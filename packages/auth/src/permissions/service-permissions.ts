import type { Principal } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';
import { hasPermission } from './permission-matches.js';

/** Permissions per calling service: the allowlist is its keys. */
export type ServicePermissionMap = Readonly<Record<string, readonly string[]>>;

/** Seed 001's map, as a preset for the integration service. */
export const SEED_001_SERVICE_PERMISSIONS: ServicePermissionMap = Object.freeze({
  'auth-service': ['integrations:read', 'integrations:write', 'webhooks:*'],
  'event-service': ['integrations:read', 'sync:events', 'webhooks:receive'],
  'ticket-service': ['integrations:read', 'sync:tickets', 'webhooks:receive'],
  'payment-service': ['integrations:read', 'integrations:write', 'sync:payments', 'webhooks:*'],
  'notification-service': ['integrations:read', 'sync:contacts'],
});

/**
 * The permissions of a calling service.
 * @throws AuthError `ERR_SERVICE_NOT_ALLOWED` for a service not in the map
 */
export function servicePermissions(map: ServicePermissionMap, service: string): readonly string[] {
  if (!Object.hasOwn(map, service)) {
    throw new AuthError('ERR_SERVICE_NOT_ALLOWED', 'calling service not allowed');
  }
  return map[service]!;
}

/**
 * Checks that `principal` holds `permission` (wildcard grants honoured).
 * @throws AuthError `ERR_PERMISSION_DENIED` (403) when it does not
 */
export function requirePermission(principal: Principal, permission: string): void {
  if (!hasPermission(principal.permissions, permission)) {
    throw new AuthError('ERR_PERMISSION_DENIED', `permission ${permission} required`, {
      extensions: { permission },
    });
  }
}
