import { randomBytes } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { AuthError } from '../errors/auth-error.js';
import { SERVICE_TOKEN_TYP } from '../jwt/verify-jwt.js';
import { assertStrongSecret } from '../secrets/assert-strong-secret.js';

/** Longest a service token may live. */
export const MAX_SERVICE_TOKEN_TTL_SECONDS = 300;

export interface ServiceTokenSignerOptions {
  /** The calling service's name: the token's `sub`. */
  service: string;
  issuer: string;
  /** Default audience (the called service or the platform). */
  audience: string | string[];
  /** Key id the verifiers know this key by. */
  kid: string;
  /** `EdDSA` or `ES256` with a PEM private key, or `HS256` with a secret of at least 32 bytes. */
  alg: 'EdDSA' | 'ES256' | 'HS256';
  key: string | Buffer;
  /** Lifetime in seconds; 60 by default, at most 300. */
  ttlSeconds?: number;
  now?: () => number;
}

export interface ServiceTokenClaims {
  /** Tenant the call acts for. */
  tenantId?: string;
  /** End user the call acts for. */
  userId?: string;
  audience?: string | string[];
}

/**
 * Mints short-lived service tokens (seed 004's `x-service-token`), typed `service+jwt` with
 * `token_use: "service"` so no verifier of user tokens ever accepts one, and signed with keys
 * kept apart from user keys.
 * @throws AuthError `ERR_AUTH_CONFIG` for a lifetime over 300 s or an HS256 secret under 32 bytes
 */
export function createServiceTokenSigner(
  options: ServiceTokenSignerOptions,
): (claims?: ServiceTokenClaims) => string {
  const ttl = options.ttlSeconds ?? 60;
  if (!(ttl > 0 && ttl <= MAX_SERVICE_TOKEN_TTL_SECONDS)) {
    throw new AuthError(
      'ERR_AUTH_CONFIG',
      `service token ttl must be in (0, ${MAX_SERVICE_TOKEN_TTL_SECONDS}] s`,
    );
  }
  if (options.alg === 'HS256') {
    assertStrongSecret(
      'service token key',
      typeof options.key === 'string' ? Buffer.from(options.key) : options.key,
    );
  }
  const now = options.now ?? Date.now;
  const signer = createSigner({
    key: options.key,
    algorithm: options.alg,
    kid: options.kid,
    header: { alg: options.alg, typ: SERVICE_TOKEN_TYP },
  });
  return (claims = {}) => {
    const iat = Math.floor(now() / 1000);
    const payload: Record<string, unknown> = {
      iss: options.issuer,
      sub: options.service,
      aud: claims.audience ?? options.audience,
      iat,
      exp: iat + ttl,
      jti: randomBytes(16).toString('base64url'),
      token_use: 'service',
    };
    if (claims.tenantId !== undefined) payload.tenant_id = claims.tenantId;
    if (claims.userId !== undefined) payload.user_id = claims.userId;
    return signer(payload);
  };
}
