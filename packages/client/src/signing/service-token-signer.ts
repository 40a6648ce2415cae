import type { ServiceTokenClaims } from '@interlink/auth';
import { TENANT_HEADER, USER_HEADER } from '../propagation/propagation-headers.js';
import type { RequestSigner } from './request-signer.js';

export interface ServiceTokenRequestSignerOptions {
  /** Mints one token: `createServiceTokenSigner({ service, issuer, kid, alg, key, ttlSeconds })` from `@interlink/auth`. */
  mint: (claims?: ServiceTokenClaims) => string;
  /** The target service, as its verifier's `audience` names it: the token's `aud`. */
  audience: string | string[];
  /**
   * Where the token goes: `x-service-token` (seed 004's header, the default) or `authorization`
   * (`Bearer <token>`, which auth's plugin also accepts as a service token by its `typ`).
   */
  header?: 'x-service-token' | 'authorization';
}

/**
 * A {@link RequestSigner} that puts a freshly minted service token on every attempt, for the
 * target's audience, carrying the attempt's tenant and user (the `x-tenant-id`/`x-user-id` the
 * client propagates) as `tenant_id`/`user_id` claims, so the receiver takes them from the verified
 * token rather than from plain headers.
 */
export function serviceTokenSigner(options: ServiceTokenRequestSignerOptions): RequestSigner {
  const { mint, audience } = options;
  const bearer = options.header === 'authorization';
  const name = bearer ? 'authorization' : 'x-service-token';
  return {
    sign(request) {
      const claims: ServiceTokenClaims = { audience };
      const tenantId = request.headers[TENANT_HEADER];
      const userId = request.headers[USER_HEADER];
      if (tenantId !== undefined) claims.tenantId = tenantId;
      if (userId !== undefined) claims.userId = userId;
      // Minted per attempt, not cached: each attempt gets its own jti and a full lifetime, so a
      // retry after a backoff never carries a token about to expire, and a receiver that treats
      // jti as single-use (as RFC 9421 nonces are) accepts every attempt.
      const token = mint(claims);
      return { [name]: bearer ? `Bearer ${token}` : token };
    },
  };
}
