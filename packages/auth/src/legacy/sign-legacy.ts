import { createHmac, randomBytes } from 'node:crypto';
import { type LegacyScheme, legacyPayload } from './legacy-schemes.js';

export interface LegacySignInput {
  service: string;
  method: string;
  /** Path and query as the receiver sees `request.url`. */
  url: string;
  /** The body exactly as sent (seed 000 signs it). */
  body?: string;
  now?: number;
}

/**
 * Headers of a seed scheme, for callers that must keep talking to services not yet migrated
 * (send them alongside the RFC 9421 signature during the overlap).
 */
export function signLegacy(
  scheme: LegacyScheme,
  secret: string | Buffer,
  input: LegacySignInput,
): Record<string, string> {
  if (scheme === 'seed-004-api-key') {
    return { 'x-internal-service': 'true', 'x-internal-api-key': String(secret) };
  }
  const timestamp = String(input.now ?? Date.now());
  const nonce = randomBytes(16).toString('hex');
  const payload = legacyPayload(scheme, { ...input, timestamp, nonce });
  const signature = createHmac('sha256', secret).update(payload).digest('hex');
  switch (scheme) {
    case 'seed-000':
    case 'seed-internal-routes':
      return {
        'x-internal-service': input.service,
        'x-internal-timestamp': timestamp,
        'x-internal-signature': signature,
      };
    case 'seed-001':
      return {
        'x-service-name': input.service,
        'x-request-timestamp': timestamp,
        'x-request-signature': signature,
      };
    case 'seed-002-nonce':
      return {
        'x-service-name': input.service,
        'x-request-timestamp': timestamp,
        'x-request-nonce': nonce,
        'x-internal-auth': signature,
      };
  }
}
