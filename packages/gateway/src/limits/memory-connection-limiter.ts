import type { ConnectionLease, ConnectionLimiter, ConnectionLimits } from './connection-limiter.js';

/** Per-process counting, for the embedded default (one instance, so process-wide is cluster-wide). */
export function createMemoryConnectionLimiter(limits: ConnectionLimits): ConnectionLimiter {
  const users = new Map<string, number>();
  const tenants = new Map<string, number>();
  const userKey = (lease: ConnectionLease) => `${lease.tenantId}\u0000${lease.userId}`;
  const bump = (map: Map<string, number>, key: string, by: number) => {
    const next = (map.get(key) ?? 0) + by;
    if (next <= 0) map.delete(key);
    else map.set(key, next);
  };
  return {
    async acquire(lease) {
      if ((users.get(userKey(lease)) ?? 0) >= limits.perUser) return { ok: false, limit: 'user' };
      if ((tenants.get(lease.tenantId) ?? 0) >= limits.perTenant) return { ok: false, limit: 'tenant' };
      bump(users, userKey(lease), 1);
      bump(tenants, lease.tenantId, 1);
      return { ok: true };
    },
    async release(lease) {
      bump(users, userKey(lease), -1);
      bump(tenants, lease.tenantId, -1);
    },
    async refresh() {},
    async close() {},
  };
}
