import { AuthError } from '../errors/auth-error.js';
import { createJwtKey, type Jwk, type JwtKey } from './jwt-keys.js';

/** Where a verifier finds keys by `kid`. */
export interface JwtKeySource {
  getKey(kid: string): Promise<JwtKey | undefined>;
  /**
   * Called with the kids a refresh withdrew (gone, or now another key), so verifiers drop the
   * tokens they cached under them. Optional: a source whose keys never change leaves it out.
   */
  onKeysRemoved?(listener: (kids: readonly string[]) => void): void;
}

export interface JwksKeySourceOptions {
  url: string;
  /** Give up on a fetch (headers and body) after this long; 2,000 ms by default. */
  timeoutMs?: number;
  /** Refetch the set after this long even without an unknown kid; 10 minutes by default. */
  maxAgeMs?: number;
  /** At most one refetch per this interval, however many unknown kids arrive; 30 s by default. */
  minRefreshIntervalMs?: number;
  /** Most keys kept from one set; 50 by default. */
  maxKeys?: number;
  /** Largest response body read; 64 KiB by default (large providers' sets are under 20). */
  maxBytes?: number;
  now?: () => number;
}

/** Reads a body up to `maxBytes`, refusing (and cancelling) anything longer. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new AuthError('ERR_JWKS_TOO_LARGE', `JWKS larger than ${maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        await response.body.cancel().catch(() => {});
        throw new AuthError('ERR_JWKS_TOO_LARGE', `JWKS larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Keys from a JWKS URL, cached; an unknown `kid` triggers a refetch at most once per
 * `minRefreshIntervalMs`, so a flood of forged kids cannot turn into a flood of fetches. Each key
 * is bound by {@link createJwtKey} (its type, size, `use`, `key_ops` and `alg`); a key it refuses
 * is skipped. Redirects are refused, not followed (a redirect could hand the key set to another
 * origin), the body is capped at `maxBytes`, and the whole fetch at `timeoutMs`. A kid a refresh
 * withdraws stops verifying at once: listeners ({@link JwtKeySource.onKeysRemoved}) drop cached
 * tokens. Written here rather than taken from `jose`, whose remote set feeds only its own verifier.
 */
export function createJwksKeySource(options: JwksKeySourceOptions): JwtKeySource {
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  const minRefreshIntervalMs = options.minRefreshIntervalMs ?? 30_000;
  const maxKeys = options.maxKeys ?? 50;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const now = options.now ?? Date.now;
  const listeners: ((kids: readonly string[]) => void)[] = [];
  let keys: Map<string, { key: JwtKey; jwk: string }> | undefined;
  let fetchedAt = 0;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | undefined;

  async function fetchSet(): Promise<void> {
    lastAttempt = now();
    const response = await fetch(options.url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
      redirect: 'manual',
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new AuthError('ERR_JWKS_REDIRECT', `JWKS URL redirected (${response.status}); not followed`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`JWKS fetch failed with ${response.status}`);
    }
    const body = JSON.parse(await readCapped(response, maxBytes)) as { keys?: unknown };
    if (!Array.isArray(body?.keys)) throw new Error('JWKS has no keys array');
    const next = new Map<string, { key: JwtKey; jwk: string }>();
    for (const jwk of body.keys.slice(0, maxKeys) as Jwk[]) {
      if (typeof jwk !== 'object' || jwk === null || typeof jwk.kid !== 'string') continue;
      if (jwk.kty === 'oct') continue; // a published set never carries secrets
      try {
        next.set(jwk.kid, { key: createJwtKey({ kid: jwk.kid, key: jwk }), jwk: JSON.stringify(jwk) });
      } catch {
        // An unusable or refused key is skipped, not fatal: the others still verify.
      }
    }
    const withdrawn = [...(keys ?? [])]
      .filter(([kid, { jwk }]) => next.get(kid)?.jwk !== jwk)
      .map(([kid]) => kid);
    keys = next;
    fetchedAt = now();
    if (withdrawn.length > 0) for (const listener of listeners) listener(withdrawn);
  }

  function refresh(): Promise<void> {
    inflight ??= fetchSet().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    onKeysRemoved(listener) {
      listeners.push(listener);
    },
    async getKey(kid) {
      const stale = keys === undefined || now() - fetchedAt > maxAgeMs;
      const known = keys?.get(kid);
      if (known && !stale) return known.key;
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
      return keys.get(kid)?.key;
    },
  };
}
