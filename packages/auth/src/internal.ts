/**
 * `@interlink/auth/internal`: the building blocks behind the public entry, for Interlink's own
 * tests and benchmarks. Unstable: names here may change or go in any release.
 */
export { type JwtHeader, MAX_TOKEN_LENGTH, readJwtHeader } from './jwt/jwt-header.js';
export { MIN_HS256_SECRET_BYTES } from './jwt/jwt-keys.js';
export { principalFromClaims } from './jwt/principal-from-claims.js';
export { createVerifiedTokenCache, type VerifiedTokenCache } from './jwt/verified-token-cache.js';
export { SERVICE_TOKEN_TYP } from './jwt/verify-jwt.js';
export { LEGACY_SCHEMES, LEGACY_WINDOW_MS, legacyPayload, TEMP_SIGNATURE } from './legacy/legacy-schemes.js';
export { permissionMatches } from './permissions/permission-matches.js';
export { MIN_SECRET_BYTES } from './secrets/assert-strong-secret.js';
export { MAX_SERVICE_TOKEN_TTL_SECONDS } from './service-tokens/sign-service-token.js';
export { SIGNATURE_ALGORITHMS, signBase, verifyBase } from './signatures/algorithms.js';
export { createContentDigest, verifyContentDigest } from './signatures/content-digest.js';
export { fieldValue, type ResolvedTarget, resolveTarget } from './signatures/http-message.js';
export {
  IDENTITY_HEADERS,
  MAX_SIGNATURE_VALIDITY_SECONDS,
  SIGNATURE_CLOCK_SKEW_SECONDS,
  SIGNATURE_LABEL,
  SIGNATURE_TAG,
} from './signatures/profile.js';
export {
  buildSignatureBase,
  type ComponentId,
  component,
  type SignatureBase,
} from './signatures/signature-base.js';
export { MIN_HMAC_SECRET_BYTES } from './signatures/signature-keys.js';
