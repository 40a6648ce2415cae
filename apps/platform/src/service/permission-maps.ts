import type { ServicePermissionMap } from '@interlink/auth';
import { permissionMapOf, type ServiceContract } from '@interlink/contracts';

/**
 * Grants beyond the consumers each contract names (seed 004's twelve pairs). The seeds name no
 * caller for auth's three older routes or for venue's validate-ticket; the platform's own calls
 * need these:
 * - ticket-service asks auth-service whether a transfer's recipient is a user of the tenant;
 * - venue-service asks event-service where a ticket's event takes place (wrong venue);
 * - the gateway (the edge) checks users' permissions, validates users, reads a user's tenant and
 *   validates tickets at the door on behalf of scanners.
 */
export const PLATFORM_EXTRA_GRANTS: Readonly<Record<string, ServicePermissionMap>> = {
  'auth-service': {
    'ticket-service': ['users:validate'],
    gateway: ['permissions:check', 'users:validate', 'users:read'],
  },
  'event-service': { 'venue-service': ['events:read'] },
  'venue-service': { gateway: ['venues:validate-tickets'] },
};

/**
 * The caller a person's tools sign as: a CLI, or a test calling a running `npm start` (its key comes
 * from `SERVICE_KEYS`, docs/platform.md). It holds the read-only permissions of every service
 * ({@link readOnlyPermissions}), nothing that writes; the tenant is still the one it signs.
 */
export const OPERATOR = 'operator';

/**
 * The permissions of a contract that only `GET` routes need: holding them lets a caller read and
 * nothing else (a permission that also guards a `POST`, such as a transfer, is left out).
 */
export function readOnlyPermissions(contract: ServiceContract): string[] {
  const writes = new Set<string>();
  const reads = new Set<string>();
  for (const [operation, route] of Object.entries(contract.routes)) {
    const { permission } = contract.docs[operation]!;
    (route.method === 'GET' ? reads : writes).add(permission);
  }
  return [...reads].filter((permission) => !writes.has(permission)).sort();
}

/**
 * The permission map of a service: its contract's consumers, {@link PLATFORM_EXTRA_GRANTS}, and the
 * {@link OPERATOR}'s read-only permissions.
 */
export function platformPermissionMap(contract: ServiceContract): ServicePermissionMap {
  const map = new Map<string, Set<string>>();
  const add = (grants: ServicePermissionMap) => {
    for (const [caller, permissions] of Object.entries(grants)) {
      const set = map.get(caller) ?? new Set<string>();
      for (const permission of permissions) set.add(permission);
      map.set(caller, set);
    }
  };
  add(permissionMapOf(contract));
  add(PLATFORM_EXTRA_GRANTS[contract.service] ?? {});
  add({ [OPERATOR]: readOnlyPermissions(contract) });
  return Object.fromEntries([...map].map(([caller, set]) => [caller, [...set].sort()]));
}
