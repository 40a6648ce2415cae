import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { GatewayError } from '../errors/gateway-error.js';
import type { VerifiedPrincipal, VerifyUserToken } from './authenticate-user.js';

export interface DevUserTokens {
  verifyUserToken: VerifyUserToken;
  /** Mints a user JWT signed with this process's key (demo sign-in and tests only). */
  mint(user: { userId: string; tenantId: string; ttlSeconds?: number; roles?: string[] }): Promise<string>;
}

const ISSUER = 'interlink-dev';
const AUDIENCE = 'interlink-gateway';

/**
 * Development user tokens for the embedded gateway and tests. The HS256 key is 256 random bits
 * generated here, at start-up, and never leaves the process: no hard-coded secret (seed 003
 * findings 1 and 2), and tokens die with the process. Refused in production.
 */
export function createDevUserTokens(options: { production?: boolean } = {}): DevUserTokens {
  if (options.production ?? process.env.NODE_ENV === 'production') {
    throw new GatewayError('ERR_GATEWAY_CONFIG', 'Development user tokens are refused in production');
  }
  const key = randomBytes(32);
  return {
    async verifyUserToken(token): Promise<VerifiedPrincipal> {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 30,
      });
      return {
        kind: 'user',
        userId: payload.sub!,
        tenantId: typeof payload.tenant_id === 'string' ? payload.tenant_id : '',
        roles: Array.isArray(payload.roles) ? payload.roles.map(String) : [],
        permissions: [],
        ...(payload.jti ? { tokenId: payload.jti } : {}),
        scheme: 'jwt',
        expiresAt: payload.exp! * 1000,
      };
    },
    async mint(user) {
      return new SignJWT({ tenant_id: user.tenantId, roles: user.roles ?? [] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${user.ttlSeconds ?? 3600}s`)
        .sign(key);
    },
  };
}
