import { isTenantId, isUserId } from '@interlink/bus';
import { bearerToken, isInterlinkError, type Principal } from '@interlink/core';
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified user of a gateway route, set by its authentication step (rate limits key on it). */
    gatewayUser?: { userId: string; tenantId: string; expiresAt?: number };
  }
}

/** A verified user; `expiresAt` (epoch ms, from the token's `exp`) ends the user's streams. */
export type VerifiedPrincipal = Principal & { expiresAt?: number };

/** Verifies a user JWT; `@interlink/auth`'s verifier fits behind this with a one-line adapter. */
export type VerifyUserToken = (token: string) => Promise<VerifiedPrincipal>;

/** The identity a stream is opened for. */
export interface StreamIdentity {
  userId: string;
  tenantId: string;
  expiresAt?: number;
}

/** A compact JWS has three base64url parts; such a value is never accepted from a URL. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/** Verifies the request's bearer JWT; the verifier's own 401/403/503 errors pass through. */
export async function authenticateUser(
  request: FastifyRequest,
  verify: VerifyUserToken,
): Promise<VerifiedPrincipal> {
  const token = bearerToken(request.headers.authorization);
  if (!token) {
    throw new GatewayError('ERR_GATEWAY_UNAUTHENTICATED', 'An Authorization: Bearer user token is required');
  }
  try {
    const principal = await verify(token);
    if (principal.kind !== 'user') {
      throw new GatewayError('ERR_GATEWAY_UNAUTHENTICATED', 'A user token is required');
    }
    return principal;
  } catch (error) {
    if (isInterlinkError(error) && [401, 403, 503].includes(error.status)) throw error;
    request.log.info({ err: error }, 'user token refused');
    throw new GatewayError('ERR_GATEWAY_UNAUTHENTICATED', 'The user token was refused');
  }
}

/**
 * The user and tenant a principal streams as, both from the verified credential (never from a
 * header, seed 003 finding 4) and both usable as one subject token.
 */
export function streamIdentity(principal: VerifiedPrincipal): StreamIdentity {
  if (!isUserId(principal.userId) || !isTenantId(principal.tenantId)) {
    throw new GatewayError(
      'ERR_GATEWAY_INVALID_IDENTITY',
      'The token has no user or tenant id usable for streaming',
    );
  }
  return {
    userId: principal.userId,
    tenantId: principal.tenantId,
    ...(principal.expiresAt !== undefined ? { expiresAt: principal.expiresAt } : {}),
  };
}
