import type { JsonWebKey } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { createJwtKey, type JwtAlgorithm, type JwtKey } from './jwt-keys.js';

/** Where a verifier finds keys by `kid`. */
export interface JwtKeySource {
  getKey(kid: string): Promise<JwtKey | undefined>;
}

export interface JwksKeySourceOptions {
  url: string;
  /** Give up on a fetch after this long; 2,000 ms by default. */
  timeoutMs?: number;
  /** Refetch the set after this long even without an unknown kid; 10 minutes by default. */
  maxAgeMs?: number;
  /** At most one refetch per this interval, however many unknown kids arrive; 30 s by default. */
  minRefreshIntervalMs?: number;
  /** Most keys kept from one set; 50 by default. */
  maxKeys?: number;
  now?: () => number;
}

const JWS_ALGORITHMS: readonly string[] = ['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256'];

/**
 * Keys from a JWKS URL, cached; an unknown `kid` triggers a refetch at most once per
 * `minRefreshIntervalMs`, so a flood of forged kids cannot turn into a flood of fetches. Each key
 * is bound to the algorithms its type allows (and to its `alg` when the JWK names one). Written
 * here rather than taken from `jose` because `jose`'s remote set returns keys for `jose`'s own
 * verifier, and we verify with `fast-jwt` (see README).
 */
export function createJwksKeySource(options: JwksKeySourceOptions): JwtKeySource {
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  const minRefreshIntervalMs = options.minRefreshIntervalMs ?? 30_000;
  const maxKeys = options.maxKeys ?? 50;
  const now = options.now ?? Date.now;
  let keys: Map<string, JwtKey> | undefined;
  let fetchedAt = 0;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | undefined;

  async function fetchSet(): Promise<void> {
    lastAttempt = now();
    const response = await fetch(options.url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`);
    const body = (await response.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error('JWKS has no keys array');
    const next = new Map<string, JwtKey>();
    for (const jwk of body.keys.slice(0, maxKeys) as (JsonWebKey & {
      kid?: unknown;
      use?: unknown;
      alg?: unknown;
    })[]) {
      if (typeof jwk !== 'object' || jwk === null || typeof jwk.kid !== 'string') continue;
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      if (jwk.kty === 'oct') continue; // a published set never carries secrets
      try {
        const algorithms =
          typeof jwk.alg === 'string' && JWS_ALGORITHMS.includes(jwk.alg)
            ? [jwk.alg as JwtAlgorithm]
            : undefined;
        if (jwk.alg !== undefined && !algorithms) continue;
        next.set(jwk.kid, createJwtKey({ kid: jwk.kid, key: jwk, ...(algorithms ? { algorithms } : {}) }));
      } catch {
        // An unusable key in the set is skipped, not fatal: the others still verify.
      }
    }
    keys = next;
    fetchedAt = now();
  }

  function refresh(): Promise<void> {
    inflight ??= fetchSet().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    async getKey(kid) {
      const stale = keys === undefined || now() - fetchedAt > maxAgeMs;
      const known = keys?.get(kid);
      if (known && !stale) return known;
      // Without any set yet, retry sooner than the refresh interval, but still at most once a second:
      // a key server that is down must not receive one fetch per request.
      const interval = keys === undefined ? Math.min(1000, minRefreshIntervalMs) : minRefreshIntervalMs;
      if (inflight || now() - lastAttempt >= interval) {
        try {
          await refresh();
        } catch (error) {
          // Keep serving the last good set through an outage of the key server.
          if (keys === undefined) {
            throw new AuthError('ERR_JWKS_UNAVAILABLE', 'JWKS could not be fetched', { cause: error });
          }
        }
      }
      if (keys === undefined) throw new AuthError('ERR_JWKS_UNAVAILABLE', 'JWKS not fetched yet');
      return keys.get(kid);
    },
  };
}
