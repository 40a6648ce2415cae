import type { Principal } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';
import { hasPermission } from './permission-matches.js';

/** Permissions per calling service: the allowlist is its keys. */
export type ServicePermissionMap = Readonly<Record<string, readonly string[]>>;

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
