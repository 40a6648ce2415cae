import type { ServicePrincipal } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';
import { createTokenVerifier, type JwtVerifier, type JwtVerifierOptions } from '../jwt/verify-jwt.js';
import { MAX_SERVICE_TOKEN_TTL_SECONDS } from './sign-service-token.js';

export type ServiceTokenVerifierOptions = Omit<JwtVerifierOptions, 'allowMissingIssuerAudience'>;

function servicePrincipal(claims: Record<string, unknown>): ServicePrincipal {
  const service = claims.sub;
  if (typeof service !== 'string' || service.length === 0 || service.length > 128) {
    throw new AuthError('ERR_JWT_PRINCIPAL', 'service token names no service');
  }
  const principal: ServicePrincipal = {
    kind: 'service',
    service,
    roles: [],
    permissions: [],
    scheme: 'service-token',
  };
  if (typeof claims.tenant_id === 'string') principal.tenantId = claims.tenant_id;
  if (typeof claims.user_id === 'string') principal.userId = claims.user_id;
  if (typeof claims.jti === 'string') principal.tokenId = claims.jti;
  return principal;
}

/**
 * A verifier of service tokens: the JWT rules of user tokens, plus `typ: service+jwt` and
 * `token_use: service` required (a user token is never a service token), a lifetime of at most
 * 300 s, and keys of their own (give it the service signing keys, not the user keys). Permissions
 * are not taken from the token: they come from the permission map of the calling service.
 */
export function createServiceTokenVerifier(
  options: ServiceTokenVerifierOptions,
): JwtVerifier<ServicePrincipal> {
  return createTokenVerifier(
    { ...options, allowMissingIssuerAudience: false },
    { kind: 'service', maxLifetimeSeconds: MAX_SERVICE_TOKEN_TTL_SECONDS, toPrincipal: servicePrincipal },
  );
}
