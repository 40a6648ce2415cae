import { defineErrorCodes } from '@interlink/core';

/**
 * The closed set of `@interlink/auth` error codes. Every authentication failure is a 401 (the
 * caller may retry with other credentials), every authorization failure a 403, and a store or key
 * source we cannot reach a 503: we fail closed rather than let a request through unchecked.
 */
export const authErrorCodes = defineErrorCodes(`
  // RFC 9421 signed requests
  ERR_SIGNATURE_MISSING             401 Request signature missing
  ERR_SIGNATURE_MALFORMED           401 Request signature malformed
  ERR_SIGNATURE_DUPLICATE_LABEL     401 Duplicate signature label
  ERR_SIGNATURE_HEADER_TOO_LARGE    401 Signature header too large
  ERR_SIGNATURE_PARAMS              401 Invalid signature parameters
  ERR_SIGNATURE_EXPIRED             401 Request signature expired
  ERR_SIGNATURE_FUTURE              401 Request signature created in the future
  ERR_SIGNATURE_UNKNOWN_KEY         401 Unknown signing key
  ERR_SIGNATURE_ALGORITHM           401 Signature algorithm not allowed
  ERR_SIGNATURE_COVERAGE            401 Required component not covered by the signature
  ERR_SIGNATURE_COMPONENT_MISSING   401 Covered component missing from the request
  ERR_SIGNATURE_INVALID             401 Request signature invalid
  ERR_SIGNATURE_AUTHORITY           401 Request signed for another service
  ERR_DIGEST_MISMATCH               401 Content digest mismatch
  ERR_NONCE_REPLAYED                401 Nonce already used
  ERR_NONCE_STORE_UNAVAILABLE       503 Replay store unavailable
  ERR_NONCE_STORE_FULL              503 Replay store full
  // User JWTs and service tokens
  ERR_JWT_MISSING                   401 Bearer token missing
  ERR_JWT_MALFORMED                 401 Token malformed
  ERR_JWT_ALGORITHM                 401 Token algorithm not allowed
  ERR_JWT_SIGNATURE                 401 Token signature invalid
  ERR_JWT_EXPIRED                   401 Token expired
  ERR_JWT_NOT_YET_VALID             401 Token not yet valid
  ERR_JWT_TOO_OLD                   401 Token too old
  ERR_JWT_ISSUER                    401 Token issuer not accepted
  ERR_JWT_AUDIENCE                  401 Token audience not accepted
  ERR_JWT_CLAIM_MISSING             401 Required token claim missing
  ERR_JWT_UNKNOWN_KID               401 Unknown token key id
  ERR_JWT_EMBEDDED_KEY              401 Token header carries a key
  ERR_JWT_CRIT                      401 Token has unsupported critical header
  ERR_JWT_TYPE                      401 Wrong kind of token
  ERR_JWT_REVOKED                   401 Token revoked
  ERR_JWT_PRINCIPAL                 401 Token names no user or tenant
  ERR_JWKS_UNAVAILABLE              503 Key set unavailable
  ERR_JWKS_REDIRECT                 503 Key set URL redirected
  ERR_JWKS_TOO_LARGE                503 Key set too large
  ERR_REVOCATION_STORE_UNAVAILABLE  503 Revocation store unavailable
  // Provider webhooks
  ERR_WEBHOOK_SIGNATURE_MISSING     401 Webhook signature missing
  ERR_WEBHOOK_SIGNATURE_INVALID     401 Webhook signature invalid
  ERR_WEBHOOK_TIMESTAMP             401 Webhook timestamp outside tolerance
  ERR_WEBHOOK_REPLAYED              409 Webhook delivery already received
  ERR_WEBHOOK_ID_MISSING            400 Webhook delivery has no id
  // Authorization
  ERR_PERMISSION_DENIED             403 Permission denied
  ERR_SERVICE_NOT_ALLOWED           403 Calling service not allowed
  // Our own misconfiguration, found at start-up
  ERR_AUTH_CONFIG                   500 Invalid auth configuration
  ERR_JWT_KEY_WEAK                  500 JWT key too weak
  ERR_JWT_KEY_USE                   500 JWT key not meant for signature verification
  ERR_JWT_KEY_ALGORITHM             500 JWT key algorithm not supported
  ERR_WEBHOOK_SECRET_WEAK           500 Webhook secret empty or too short
`);

export type AuthErrorCode = keyof typeof authErrorCodes;
