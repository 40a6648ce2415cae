/** The `tag` parameter marking Interlink's signatures (RFC 9421 §2.3), so other signatures are ignored. */
export const SIGNATURE_TAG = 'interlink';
/** The label our signer uses in `Signature-Input` and `Signature`. */
export const SIGNATURE_LABEL = 'interlink';
/**
 * Headers a signature must cover whenever the request carries them: the identity headers, and the
 * caller's deadline (core's `x-interlink-deadline`), so a replayed or relayed request cannot have
 * its deadline moved.
 */
export const IDENTITY_HEADERS = [
  'x-tenant-id',
  'x-user-id',
  'idempotency-key',
  'x-interlink-deadline',
] as const;
/** Components every Interlink signature covers. */
export const TARGET_COMPONENTS = ['@method', '@authority', '@path', '@query'] as const;
/** The longest a signature may be valid: `expires` at most this many seconds after `created`. */
export const MAX_SIGNATURE_VALIDITY_SECONDS = 300;
/** Allowed clock difference between signer and verifier. */
export const SIGNATURE_CLOCK_SKEW_SECONDS = 30;
