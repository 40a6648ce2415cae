/**
 * The seeds' service-to-service schemes, accepted only for migration, each behind its own switch.
 * - `seed-000`: `x-internal-service`/`x-internal-timestamp`/`x-internal-signature`, hex
 *   HMAC-SHA256 of `service:timestamp:method:path:body`.
 * - `seed-001`: `x-service-name`/`x-request-timestamp`/`x-request-signature` over
 *   `service:timestamp:method:url`.
 * - `seed-002-nonce`: `x-internal-auth` + `x-service-name`/`x-request-timestamp`/`x-request-nonce`
 *   over `service:timestamp:nonce:method:url`; nonces in the shared store.
 * - `seed-internal-routes` (002/004): `x-internal-service`/`x-internal-timestamp`/
 *   `x-internal-signature` over `service:timestamp:url`.
 * - `seed-004-api-key`: `x-internal-service: true` + `x-internal-api-key`.
 */
export type LegacyScheme =
  | 'seed-000'
  | 'seed-001'
  | 'seed-002-nonce'
  | 'seed-internal-routes'
  | 'seed-004-api-key';

export const LEGACY_SCHEMES: readonly LegacyScheme[] = [
  'seed-000',
  'seed-001',
  'seed-002-nonce',
  'seed-internal-routes',
  'seed-004-api-key',
];

/** The seeds' development bypass value. Never accepted, whatever the switches say. */
export const TEMP_SIGNATURE = 'temp-signature';

/** The seeds' replay window: 5 minutes either side, timestamps in epoch milliseconds. */
export const LEGACY_WINDOW_MS = 5 * 60 * 1000;

/** The string each HMAC scheme signs. */
export function legacyPayload(
  scheme: Exclude<LegacyScheme, 'seed-004-api-key'>,
  parts: { service: string; timestamp: string; method: string; url: string; body?: string; nonce?: string },
): string {
  switch (scheme) {
    case 'seed-000':
      return `${parts.service}:${parts.timestamp}:${parts.method}:${parts.url}:${parts.body ?? ''}`;
    case 'seed-001':
      return `${parts.service}:${parts.timestamp}:${parts.method}:${parts.url}`;
    case 'seed-002-nonce':
      return `${parts.service}:${parts.timestamp}:${parts.nonce ?? ''}:${parts.method}:${parts.url}`;
    case 'seed-internal-routes':
      return `${parts.service}:${parts.timestamp}:${parts.url}`;
  }
}
