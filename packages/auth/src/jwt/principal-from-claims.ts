import type { UserPrincipal } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0 && value.length <= 256) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * Normalizes the claims of the seeds' tokens into one {@link UserPrincipal}: user id from `sub`,
 * `userId` or `id`; tenant from `tenant_id` or `tenantId`; roles from `roles` or `role`;
 * permissions from `permissions`, `scope` or `scp`; token id from `jti`.
 * @throws AuthError `ERR_JWT_PRINCIPAL` when the token names no user or no tenant
 */
export function principalFromClaims(claims: Record<string, unknown>, scheme = 'jwt'): UserPrincipal {
  const userId = idOf(claims.sub) ?? idOf(claims.userId) ?? idOf(claims.id);
  const tenantId = idOf(claims.tenant_id) ?? idOf(claims.tenantId);
  if (!userId) throw new AuthError('ERR_JWT_PRINCIPAL', 'token names no user');
  if (!tenantId) throw new AuthError('ERR_JWT_PRINCIPAL', 'token names no tenant');
  const roles = [...stringList(claims.roles), ...stringList(claims.role)];
  const permissions = [
    ...stringList(claims.permissions),
    ...stringList(claims.scope),
    ...stringList(claims.scp),
  ];
  const principal: UserPrincipal = { kind: 'user', userId, tenantId, roles, permissions, scheme };
  const jti = idOf(claims.jti);
  if (jti) principal.tokenId = jti;
  return principal;
}
