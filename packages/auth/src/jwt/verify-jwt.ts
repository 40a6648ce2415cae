import type { Principal, UserPrincipal } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';
import type { AuthMetrics } from '../metrics/auth-metrics.js';
import type { JwtKeySource } from './jwks-key-source.js';
import type { JwtHeader } from './jwt-header.js';
import { createJwtKey, type JwtKey, type JwtKeyInput } from './jwt-keys.js';
import { principalFromClaims } from './principal-from-claims.js';
import type { RevocationStore } from './revocation-store.js';
import { createVerifiedTokenCache } from './verified-token-cache.js';
import { verifyCompactJws } from './verify-compact-jws.js';

/** The `typ` header of Interlink service tokens; user tokens must not carry it. */
export const SERVICE_TOKEN_TYP = 'service+jwt';

export interface JwtVerifierOptions {
  /** Static keys (PEM, JWK, KeyObject, HS256 secrets of at least 32 bytes). */
  keys?: readonly (JwtKeyInput | JwtKey)[];
  /** Keys by `kid` from a JWKS URL ({@link createJwksKeySource}). */
  jwks?: JwtKeySource;
  /** Accepted `iss` values; required. */
  issuer: string | readonly string[];
  /** Accepted `aud` values; a token must name at least one. */
  audience: string | readonly string[];
  /** 30 s by default. */
  clockToleranceSeconds?: number;
  /** Oldest accepted token, from `iat`; 24 h by default. */
  maxTokenAgeSeconds?: number;
  /**
   * Seed 000's legacy path: accept tokens without `iss` and/or `aud`. Off by default; every such
   * acceptance is counted in `interlink_auth_legacy_accepted_total{scheme="jwt-no-iss-aud"}`.
   */
  allowMissingIssuerAudience?: boolean;
  metrics?: AuthMetrics;
  revocation?: RevocationStore;
  /** Verified-token cache size; 10,000 by default, 0 to disable. */
  cacheSize?: number;
  now?: () => number;
}

/** A verified token: a user's from {@link createJwtVerifier}, a service's from `createServiceTokenVerifier`. */
export interface VerifiedJwt<P extends Principal = Principal> {
  principal: P;
  claims: Readonly<Record<string, unknown>>;
  header: Readonly<JwtHeader>;
  /** Epoch ms after which the token is no longer valid. */
  expiresAt: number;
}

export interface JwtVerifier<P extends Principal = Principal> {
  /**
   * Verifies a compact JWS and returns its principal.
   * @throws AuthError with an `ERR_JWT_*` code (or `ERR_JWKS_UNAVAILABLE`, `ERR_REVOCATION_STORE_UNAVAILABLE`)
   */
  verify(token: string): Promise<VerifiedJwt<P>>;
}

/** Internal: what differs between user tokens and service tokens. */
export interface TokenKind<P extends Principal = Principal> {
  kind: P['kind'];
  /** Longest accepted `exp - iat`, in seconds (service tokens: 300). */
  maxLifetimeSeconds?: number;
  toPrincipal(claims: Record<string, unknown>): P;
}

const USER_KIND: TokenKind<UserPrincipal> = {
  kind: 'user',
  toPrincipal: (claims) => principalFromClaims(claims, 'jwt'),
};

function list(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

function numericClaim(claims: Record<string, unknown>, name: string, required: boolean): number | undefined {
  const value = claims[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AuthError('ERR_JWT_CLAIM_MISSING', `${name} is required and must be a number`);
  }
  return value;
}

/** Internal: the verifier shared by user tokens and service tokens. */
export function createTokenVerifier<P extends Principal>(
  options: JwtVerifierOptions,
  kind: TokenKind<P>,
): JwtVerifier<P> {
  const tolerance = options.clockToleranceSeconds ?? 30;
  const maxAge = options.maxTokenAgeSeconds ?? 86_400;
  const issuers = list(options.issuer);
  const audiences = list(options.audience);
  const now = options.now ?? Date.now;
  const cache = createVerifiedTokenCache<VerifiedJwt<P>>(options.cacheSize ?? 10_000);
  const keys = (options.keys ?? []).map((k) => ('verify' in k ? k : createJwtKey(k)));
  const byKid = new Map(keys.filter((k) => k.kid !== undefined).map((k) => [k.kid!, k]));
  if (issuers.length === 0 || audiences.length === 0) {
    throw new AuthError('ERR_AUTH_CONFIG', 'a JWT verifier needs at least one issuer and one audience');
  }
  if (keys.length === 0 && !options.jwks)
    throw new AuthError('ERR_AUTH_CONFIG', 'a JWT verifier needs keys or a JWKS');

  // A key the JWKS no longer publishes stops vouching at once, cached tokens included. Static keys
  // win over the JWKS for the same kid, so their tokens stay.
  options.jwks?.onKeysRemoved?.((kids) => {
    const removed = new Set(kids.filter((kid) => !byKid.has(kid)));
    cache.deleteWhere((entry) => removed.has(entry.header.kid as string));
  });

  async function keyFor(header: JwtHeader): Promise<JwtKey | undefined> {
    if (header.kid !== undefined) return byKid.get(header.kid) ?? (await options.jwks?.getKey(header.kid));
    return keys.length === 1 && !options.jwks ? keys[0] : undefined;
  }

  function checkType(header: JwtHeader, claims: Record<string, unknown>): void {
    const typ = header.typ?.toLowerCase();
    const typIsService = typ === SERVICE_TOKEN_TYP || typ === `application/${SERVICE_TOKEN_TYP}`;
    const isService = typIsService || claims.token_use === 'service';
    if (kind.kind === 'user' && isService) {
      throw new AuthError('ERR_JWT_TYPE', 'a service token is not a user token');
    }
    if (kind.kind === 'service' && !(typIsService && claims.token_use === 'service')) {
      throw new AuthError('ERR_JWT_TYPE', 'not a service token');
    }
  }

  function checkClaims(claims: Record<string, unknown>, at: number): number {
    const exp = numericClaim(claims, 'exp', true)!;
    const iat = numericClaim(claims, 'iat', true)!;
    const nbf = numericClaim(claims, 'nbf', false);
    if (at > exp + tolerance) throw new AuthError('ERR_JWT_EXPIRED', 'token expired');
    if ((nbf ?? Number.NEGATIVE_INFINITY) > at + tolerance)
      throw new AuthError('ERR_JWT_NOT_YET_VALID', 'token not yet valid');
    if (iat > at + tolerance) throw new AuthError('ERR_JWT_NOT_YET_VALID', 'token issued in the future');
    if (at - iat > maxAge + tolerance) throw new AuthError('ERR_JWT_TOO_OLD', 'token too old');
    if (exp - iat > (kind.maxLifetimeSeconds ?? Number.POSITIVE_INFINITY)) {
      throw new AuthError('ERR_JWT_TOO_OLD', `token lifetime over ${kind.maxLifetimeSeconds} s`);
    }
    let legacy = false;
    if (claims.iss === undefined) {
      if (!options.allowMissingIssuerAudience)
        throw new AuthError('ERR_JWT_CLAIM_MISSING', 'iss is required');
      legacy = true;
    } else if (!issuers.includes(claims.iss as string)) {
      // Whole values only (a number or a substring is never in the list).
      throw new AuthError('ERR_JWT_ISSUER', 'issuer not accepted');
    }
    if (claims.aud === undefined) {
      if (!options.allowMissingIssuerAudience)
        throw new AuthError('ERR_JWT_CLAIM_MISSING', 'aud is required');
      legacy = true;
    } else {
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!aud.some((a) => audiences.includes(a as string))) {
        throw new AuthError('ERR_JWT_AUDIENCE', 'audience not accepted');
      }
    }
    if (legacy) options.metrics?.legacyAccepted.inc({ scheme: 'jwt-no-iss-aud' });
    // Never valid past exp, nor past the maximum age.
    return Math.min(exp, iat + maxAge) * 1000;
  }

  async function checkRevocation(result: VerifiedJwt<P>): Promise<void> {
    if (!options.revocation) return;
    const revoked = await options.revocation.isRevoked({
      jti: result.principal.tokenId,
      userId: result.principal.kind === 'user' ? result.principal.userId : result.principal.service,
      issuedAt: result.claims.iat as number,
    });
    if (revoked) throw new AuthError('ERR_JWT_REVOKED', 'token revoked');
  }

  return {
    async verify(token) {
      const at = now();
      if (typeof token !== 'string' || token.length === 0) throw new AuthError('ERR_JWT_MISSING', 'no token');
      const cached = cache.get(token, at);
      if (cached) {
        await checkRevocation(cached);
        return cached;
      }
      // The signature layer first (shared with other JWS formats), then the claims on top.
      const { header, payload: bytes } = await verifyCompactJws(token, keyFor);
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new AuthError('ERR_JWT_MALFORMED', 'claims are not JSON');
      }
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        throw new AuthError('ERR_JWT_MALFORMED', 'claims are not an object');
      }
      Object.freeze(payload);
      checkType(header, payload);
      const expiresAt = checkClaims(payload, at / 1000);
      const result: VerifiedJwt<P> = {
        principal: kind.toPrincipal(payload),
        claims: payload,
        header,
        expiresAt,
      };
      await checkRevocation(result);
      cache.set(token, result, expiresAt);
      return result;
    },
  };
}

/**
 * A verifier of end users' JWTs: explicit keys (static or JWKS) with algorithms bound to key
 * types, `iss`/`aud`/`exp`/`iat` required, 30 s tolerance, 24 h maximum age, `none`, embedded keys
 * and `crit` refused, service tokens refused, revocation checked, verified tokens cached.
 * @throws AuthError `ERR_AUTH_CONFIG` for an unusable configuration
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier<UserPrincipal> {
  return createTokenVerifier(options, USER_KIND);
}
