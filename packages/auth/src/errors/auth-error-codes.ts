import type { ErrorCodeTable } from '@interlink/core';

/**
 * The closed set of `@interlink/auth` error codes. Every authentication failure is a 401 (the
 * caller may retry with other credentials), every authorization failure a 403, and a store or key
 * source we cannot reach a 503: we fail closed rather than let a request through unchecked.
 */
export const authErrorCodes = {
  // RFC 9421 signed requests
  ERR_SIGNATURE_MISSING: { status: 401, title: 'Request signature missing' },
  ERR_SIGNATURE_MALFORMED: { status: 401, title: 'Request signature malformed' },
  ERR_SIGNATURE_DUPLICATE_LABEL: { status: 401, title: 'Duplicate signature label' },
  ERR_SIGNATURE_HEADER_TOO_LARGE: { status: 401, title: 'Signature header too large' },
  ERR_SIGNATURE_PARAMS: { status: 401, title: 'Invalid signature parameters' },
  ERR_SIGNATURE_EXPIRED: { status: 401, title: 'Request signature expired' },
  ERR_SIGNATURE_FUTURE: { status: 401, title: 'Request signature created in the future' },
  ERR_SIGNATURE_UNKNOWN_KEY: { status: 401, title: 'Unknown signing key' },
  ERR_SIGNATURE_ALGORITHM: { status: 401, title: 'Signature algorithm not allowed' },
  ERR_SIGNATURE_COVERAGE: { status: 401, title: 'Required component not covered by the signature' },
  ERR_SIGNATURE_COMPONENT_MISSING: { status: 401, title: 'Covered component missing from the request' },
  ERR_SIGNATURE_INVALID: { status: 401, title: 'Request signature invalid' },
  ERR_DIGEST_MISMATCH: { status: 401, title: 'Content digest mismatch' },
  ERR_NONCE_REPLAYED: { status: 401, title: 'Nonce already used' },
  ERR_NONCE_STORE_UNAVAILABLE: { status: 503, title: 'Replay store unavailable' },
  ERR_NONCE_STORE_FULL: { status: 503, title: 'Replay store full' },
  // User JWTs and service tokens
  ERR_JWT_MISSING: { status: 401, title: 'Bearer token missing' },
  ERR_JWT_MALFORMED: { status: 401, title: 'Token malformed' },
  ERR_JWT_ALGORITHM: { status: 401, title: 'Token algorithm not allowed' },
  ERR_JWT_SIGNATURE: { status: 401, title: 'Token signature invalid' },
  ERR_JWT_EXPIRED: { status: 401, title: 'Token expired' },
  ERR_JWT_NOT_YET_VALID: { status: 401, title: 'Token not yet valid' },
  ERR_JWT_TOO_OLD: { status: 401, title: 'Token too old' },
  ERR_JWT_ISSUER: { status: 401, title: 'Token issuer not accepted' },
  ERR_JWT_AUDIENCE: { status: 401, title: 'Token audience not accepted' },
  ERR_JWT_CLAIM_MISSING: { status: 401, title: 'Required token claim missing' },
  ERR_JWT_UNKNOWN_KID: { status: 401, title: 'Unknown token key id' },
  ERR_JWT_EMBEDDED_KEY: { status: 401, title: 'Token header carries a key' },
  ERR_JWT_CRIT: { status: 401, title: 'Token has unsupported critical header' },
  ERR_JWT_TYPE: { status: 401, title: 'Wrong kind of token' },
  ERR_JWT_REVOKED: { status: 401, title: 'Token revoked' },
  ERR_JWT_PRINCIPAL: { status: 401, title: 'Token names no user or tenant' },
  ERR_JWKS_UNAVAILABLE: { status: 503, title: 'Key set unavailable' },
  ERR_JWKS_REDIRECT: { status: 503, title: 'Key set URL redirected' },
  ERR_JWKS_TOO_LARGE: { status: 503, title: 'Key set too large' },
  ERR_REVOCATION_STORE_UNAVAILABLE: { status: 503, title: 'Revocation store unavailable' },
  // Provider webhooks
  ERR_WEBHOOK_SIGNATURE_MISSING: { status: 401, title: 'Webhook signature missing' },
  ERR_WEBHOOK_SIGNATURE_INVALID: { status: 401, title: 'Webhook signature invalid' },
  ERR_WEBHOOK_TIMESTAMP: { status: 401, title: 'Webhook timestamp outside tolerance' },
  ERR_WEBHOOK_REPLAYED: { status: 409, title: 'Webhook delivery already received' },
  ERR_WEBHOOK_ID_MISSING: { status: 400, title: 'Webhook delivery has no id' },
  // Authorization
  ERR_PERMISSION_DENIED: { status: 403, title: 'Permission denied' },
  ERR_SERVICE_NOT_ALLOWED: { status: 403, title: 'Calling service not allowed' },
  // Our own misconfiguration, found at start-up
  ERR_AUTH_CONFIG: { status: 500, title: 'Invalid auth configuration' },
  ERR_JWT_KEY_WEAK: { status: 500, title: 'JWT key too weak' },
  ERR_JWT_KEY_USE: { status: 500, title: 'JWT key not meant for signature verification' },
  ERR_JWT_KEY_ALGORITHM: { status: 500, title: 'JWT key algorithm not supported' },
  ERR_WEBHOOK_SECRET_WEAK: { status: 500, title: 'Webhook secret empty or too short' },
} as const satisfies ErrorCodeTable;

export type AuthErrorCode = keyof typeof authErrorCodes;
