// Tenant and user ids are checked at the gateway's edges by `@interlink/bus`'s `isTenantId` and
// `isUserId`: the ids the bus can carry are the ids the gateway accepts, one rule in one place.

/** Seed 003's per-user subject: `{prefix}.{tenantId}.{userId}`. */
export function userSubject(prefix: string, tenantId: string, userId: string): string {
  return `${prefix}.${tenantId}.${userId}`;
}

/** The tenant-wide subject every user of the tenant receives: `{prefix}.{tenantId}`. */
export function tenantSubject(prefix: string, tenantId: string): string {
  return `${prefix}.${tenantId}`;
}
