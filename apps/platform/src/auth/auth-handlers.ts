import { hasPermission } from '@interlink/auth';
import type { authServiceContract, ContractHandlers } from '@interlink/contracts';
import { CoreError } from '@interlink/core';
import type pg from 'pg';
import { tenantOf } from '../service/create-platform-service.js';

/** A user's single `role` in seed 004's user answer: the most powerful role held tenant-wide. */
const ROLE_RANK = ['admin', 'compliance_admin'];

function mainRole(roles: readonly string[]): string {
  return ROLE_RANK.find((role) => roles.includes(role)) ?? roles[0] ?? 'customer';
}

const BILLING_FIELDS = ['line1', 'line2', 'city', 'state', 'postalCode', 'country'] as const;

/** The stored billing address with only the contract's fields (jsonb may hold more). */
function billingAddress(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const source = value as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const field of BILLING_FIELDS) if (typeof source[field] === 'string') out[field] = source[field];
  return out;
}

/** auth-service's handlers: users, roles and permissions of the signed tenant only. */
export function authHandlers(pool: pg.Pool): ContractHandlers<typeof authServiceContract.routes> {
  return {
    async validatePermissions(request) {
      const tenantId = tenantOf(request);
      const { userId, permissions, venueId } = request.body;
      // Tenant-wide roles count everywhere; a venue role only when that venue is asked about.
      const { rows } = await pool.query(
        `SELECT DISTINCT rp.permission
           FROM users u
           JOIN user_roles ur ON ur.user_id = u.id AND ur.tenant_id = u.tenant_id
           JOIN role_permissions rp ON rp.role_id = ur.role_id
          WHERE u.tenant_id = $1 AND u.id = $2 AND u.status = 'active'
            AND (ur.venue_id IS NULL OR ur.venue_id = $3)`,
        [tenantId, userId, venueId ?? null],
      );
      const held = rows.map((r) => r.permission as string);
      const granted = permissions.filter((permission) => hasPermission(held, permission));
      const missing = permissions.filter((permission) => !granted.includes(permission));
      return { userId, valid: missing.length === 0, granted, missing };
    },

    async validateUsers(request) {
      const tenantId = tenantOf(request);
      const { userIds } = request.body;
      const { rows } = await pool.query(
        "SELECT id FROM users WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'",
        [tenantId, userIds],
      );
      const active = new Set(rows.map((r) => r.id as string));
      const validIds = userIds.filter((id) => active.has(id));
      const invalidIds = userIds.filter((id) => !active.has(id));
      return { valid: invalidIds.length === 0, validIds, invalidIds };
    },

    async getUserTenant(request) {
      const tenantId = tenantOf(request);
      const { rows } = await pool.query(
        `SELECT u.id, t.id AS tenant_id, t.name AS tenant_name,
                coalesce(array_agg(DISTINCT r.name) FILTER (WHERE r.name IS NOT NULL), '{}') AS roles
           FROM users u JOIN tenants t ON t.id = u.tenant_id
           LEFT JOIN user_roles ur ON ur.user_id = u.id AND ur.tenant_id = u.tenant_id
           LEFT JOIN roles r ON r.id = ur.role_id
          WHERE u.tenant_id = $1 AND u.id = $2
          GROUP BY u.id, t.id, t.name`,
        [tenantId, request.params.userId],
      );
      const row = rows[0];
      if (!row) throw new CoreError('ERR_NOT_FOUND', 'No such user');
      return { userId: row.id, tenantId: row.tenant_id, tenantName: row.tenant_name, roles: row.roles };
    },

    async getAdmins(request) {
      const tenantId = tenantOf(request);
      const roles = (request.query.roles ?? 'admin').split(',');
      const { rows } = await pool.query(
        `SELECT DISTINCT ON (u.id) u.id, u.email, coalesce(u.name, u.email) AS name, r.name AS role
           FROM users u
           JOIN user_roles ur ON ur.user_id = u.id AND ur.tenant_id = u.tenant_id
           JOIN roles r ON r.id = ur.role_id
          WHERE u.tenant_id = $1 AND r.name = ANY($2::text[]) AND u.status = 'active'
          ORDER BY u.id, array_position($2::text[], r.name)`,
        [tenantId, roles],
      );
      const users = rows
        .map((r) => ({ id: r.id, email: r.email, name: r.name, role: r.role }))
        .sort((a, b) => a.email.localeCompare(b.email));
      return { users, count: users.length };
    },

    async getUserByEmail(request) {
      const tenantId = tenantOf(request);
      const { rows } = await pool.query(
        `SELECT id, email, tenant_id, status, email_verified FROM users
          WHERE tenant_id = $1 AND lower(email) = lower($2)`,
        [tenantId, request.params.email],
      );
      const row = rows[0];
      // Seed 004's answer for an address nobody of this tenant has; another tenant's user reads the same.
      if (!row) return { found: false as const };
      return {
        found: true as const,
        id: row.id,
        email: row.email,
        tenantId: row.tenant_id,
        status: row.status,
        emailVerified: row.email_verified,
      };
    },

    async getUser(request) {
      const tenantId = tenantOf(request);
      const { rows } = await pool.query(
        `SELECT u.id, u.email, u.name, u.tenant_id, u.email_verified, u.billing_address, u.status,
                coalesce(array_agg(r.name) FILTER (WHERE r.name IS NOT NULL AND ur.venue_id IS NULL), '{}') AS roles
           FROM users u
           LEFT JOIN user_roles ur ON ur.user_id = u.id AND ur.tenant_id = u.tenant_id
           LEFT JOIN roles r ON r.id = ur.role_id
          WHERE u.tenant_id = $1 AND u.id = $2
          GROUP BY u.id`,
        [tenantId, request.params.userId],
      );
      const row = rows[0];
      if (!row) throw new CoreError('ERR_NOT_FOUND', 'No such user');
      const billing = billingAddress(row.billing_address);
      return {
        id: row.id,
        email: row.email,
        ...(row.name ? { name: row.name } : {}),
        tenantId: row.tenant_id,
        role: mainRole(row.roles),
        emailVerified: row.email_verified,
        ...(billing ? { billingAddress: billing } : {}),
        status: row.status,
      };
    },
  };
}
