import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Principal } from '@interlink/core';
import { lowerCaseHeaders } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';
import type { AuthMetrics } from '../metrics/auth-metrics.js';
import type { NonceStore } from '../replay/nonce-store.js';
import { assertStrongSecret } from '../secrets/assert-strong-secret.js';
import { bodyBytes, fieldValue, type SignableRequest } from '../signatures/http-message.js';
import { LEGACY_WINDOW_MS, type LegacyScheme, legacyPayload, TEMP_SIGNATURE } from './legacy-schemes.js';

export interface LegacyVerifierOptions {
  /** The schemes switched on; every other one is ignored (its headers are no credential). */
  enabled: readonly LegacyScheme[];
  /** The seeds' shared `INTERNAL_SECRET`/`INTERNAL_SERVICE_SECRET` (at least 32 bytes). */
  secret?: string | Buffer;
  /** Seed 004's `INTERNAL_API_KEY` (at least 32 bytes). */
  apiKey?: string;
  /** The service name a seed-004 API-key caller gets (the scheme names none); `legacy-api-key`. */
  apiKeyService?: string;
  /** Services accepted by name; everyone else is refused even with a good signature. */
  allowedServices: readonly string[];
  /** Where seed 002's nonces go: share it across replicas (Redis). Required for `seed-002-nonce`. */
  nonceStore?: NonceStore;
  /** Counts each acceptance in `interlink_auth_legacy_accepted_total{scheme}`. */
  metrics?: AuthMetrics;
  now?: () => number;
}

export type LegacyVerifier = (request: SignableRequest) => Promise<Principal | undefined>;

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

function header(request: SignableRequest, name: string): string | undefined {
  const value = fieldValue(request.headers, name);
  return value === undefined || value.length > 512 ? value?.slice(0, 0) : value;
}

function checkTimestamp(raw: string | undefined, now: number): string {
  if (raw === undefined || !/^\d{1,16}$/.test(raw)) {
    throw new AuthError('ERR_SIGNATURE_MALFORMED', 'legacy timestamp missing or not a number');
  }
  if (Math.abs(now - Number(raw)) > LEGACY_WINDOW_MS)
    throw new AuthError('ERR_SIGNATURE_EXPIRED', 'legacy timestamp outside the window');
  return raw;
}

function hexSignature(raw: string | undefined): Buffer {
  if (raw === TEMP_SIGNATURE) {
    // Seeds 002/004 let this through outside production; here it is never a credential.
    throw new AuthError('ERR_SIGNATURE_INVALID', 'temp-signature is never accepted');
  }
  if (raw === undefined || !HEX_SHA256.test(raw)) {
    throw new AuthError('ERR_SIGNATURE_MALFORMED', 'legacy signature is not 64 hex characters');
  }
  return Buffer.from(raw, 'hex');
}

function equalHmac(secret: Buffer, payload: string, given: Buffer): boolean {
  const expected = createHmac('sha256', secret).update(payload).digest();
  return timingSafeEqual(expected, given);
}

/**
 * A verifier of the seeds' schemes that are switched on. Returns the service principal, or
 * `undefined` when the request carries none of the enabled schemes' headers. `temp-signature` is
 * refused whatever is enabled; malformed headers (bad hex, wrong length, non-numeric timestamp) are
 * a 401, never a crash.
 * @throws AuthError `ERR_AUTH_CONFIG` for a missing or weak secret, at creation
 */
export function createLegacyVerifier(options: LegacyVerifierOptions): LegacyVerifier {
  const enabled = new Set(options.enabled);
  const now = options.now ?? Date.now;
  const needsSecret = [...enabled].some((s) => s !== 'seed-004-api-key');
  const secret = options.secret === undefined ? undefined : Buffer.from(options.secret);
  if (needsSecret) {
    if (!secret) throw new AuthError('ERR_AUTH_CONFIG', 'legacy HMAC schemes need the shared secret');
    assertStrongSecret('legacy internal secret', secret);
  }
  if (enabled.has('seed-004-api-key')) {
    if (!options.apiKey) throw new AuthError('ERR_AUTH_CONFIG', 'seed-004-api-key needs the API key');
    assertStrongSecret('legacy internal API key', Buffer.from(options.apiKey));
  }
  if (enabled.has('seed-002-nonce') && !options.nonceStore) {
    throw new AuthError('ERR_AUTH_CONFIG', 'seed-002-nonce needs a shared nonce store');
  }
  const apiKeyHash = options.apiKey ? createHash('sha256').update(options.apiKey).digest() : undefined;

  const accept = (scheme: LegacyScheme, service: string): Principal => {
    options.metrics?.legacyAccepted.inc({ scheme });
    return { kind: 'service', service, roles: [], permissions: [], scheme: `legacy-${scheme}` };
  };
  const allowed = (service: string | undefined): string => {
    if (!service || !options.allowedServices.includes(service)) {
      throw new AuthError('ERR_SERVICE_NOT_ALLOWED', 'calling service not allowed');
    }
    return service;
  };

  return async (input) => {
    const request = { ...input, headers: lowerCaseHeaders(input.headers) };
    const url =
      typeof request.url === 'string' ? request.url : `${request.path ?? '/'}${request.query ?? ''}`;
    const at = now();
    const internalService = header(request, 'x-internal-service');
    const internalSignature = header(request, 'x-internal-signature');
    const requestSignature = header(request, 'x-request-signature');
    const internalAuth = header(request, 'x-internal-auth');
    for (const value of [internalSignature, requestSignature, internalAuth]) {
      if (value === TEMP_SIGNATURE)
        throw new AuthError('ERR_SIGNATURE_INVALID', 'temp-signature is never accepted');
    }

    if (enabled.has('seed-004-api-key') && internalService === 'true') {
      const key = header(request, 'x-internal-api-key');
      if (!key) throw new AuthError('ERR_SIGNATURE_MISSING', 'x-internal-api-key missing');
      const given = createHash('sha256').update(key).digest();
      if (!timingSafeEqual(given, apiKeyHash!))
        throw new AuthError('ERR_SIGNATURE_INVALID', 'API key mismatch');
      return accept('seed-004-api-key', options.apiKeyService ?? 'legacy-api-key');
    }

    if (internalService !== undefined && internalService !== 'true' && internalSignature !== undefined) {
      const has000 = enabled.has('seed-000');
      const hasRoutes = enabled.has('seed-internal-routes');
      if (has000 || hasRoutes) {
        const service = allowed(internalService);
        const timestamp = checkTimestamp(header(request, 'x-internal-timestamp'), at);
        const given = hexSignature(internalSignature);
        const parts = {
          service,
          timestamp,
          method: request.method,
          url,
          body: Buffer.from(bodyBytes(request.body)).toString('utf8'),
        };
        if (has000 && equalHmac(secret!, legacyPayload('seed-000', parts), given))
          return accept('seed-000', service);
        if (hasRoutes && equalHmac(secret!, legacyPayload('seed-internal-routes', parts), given)) {
          return accept('seed-internal-routes', service);
        }
        throw new AuthError('ERR_SIGNATURE_INVALID', 'legacy signature does not verify');
      }
    }

    const serviceName = header(request, 'x-service-name');
    if (enabled.has('seed-002-nonce') && internalAuth !== undefined) {
      const service = allowed(serviceName);
      const timestamp = checkTimestamp(header(request, 'x-request-timestamp'), at);
      const nonce = header(request, 'x-request-nonce');
      if (!nonce || nonce.length < 16 || nonce.length > 128) {
        throw new AuthError('ERR_SIGNATURE_MALFORMED', 'x-request-nonce missing or malformed');
      }
      const given = hexSignature(internalAuth);
      const payload = legacyPayload('seed-002-nonce', {
        service,
        timestamp,
        nonce,
        method: request.method,
        url,
      });
      if (!equalHmac(secret!, payload, given))
        throw new AuthError('ERR_SIGNATURE_INVALID', 'legacy signature does not verify');
      // The seed kept nonces in one process's Map; a shared store closes the replay across replicas.
      const fresh = await options.nonceStore!.claim(`legacy-002:${service}:${nonce}`, 2 * LEGACY_WINDOW_MS);
      if (!fresh) throw new AuthError('ERR_NONCE_REPLAYED', 'nonce already used');
      return accept('seed-002-nonce', service);
    }

    if (enabled.has('seed-001') && requestSignature !== undefined) {
      const service = allowed(serviceName);
      const timestamp = checkTimestamp(header(request, 'x-request-timestamp'), at);
      const given = hexSignature(requestSignature);
      const payload = legacyPayload('seed-001', { service, timestamp, method: request.method, url });
      if (!equalHmac(secret!, payload, given))
        throw new AuthError('ERR_SIGNATURE_INVALID', 'legacy signature does not verify');
      return accept('seed-001', service);
    }
    return undefined;
  };
}
