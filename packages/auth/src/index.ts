export { AuthError, isAuthError } from './errors/auth-error.js';
export { type AuthErrorCode, authErrorCodes } from './errors/auth-error-codes.js';
export { type AuthKind, type AuthPluginOptions, authPlugin, authPreHandler } from './fastify/auth-plugin.js';
export { createJwksKeySource, type JwksKeySourceOptions, type JwtKeySource } from './jwt/jwks-key-source.js';
export { type JwtHeader, MAX_TOKEN_LENGTH, readJwtHeader } from './jwt/jwt-header.js';
export {
  createJwtKey,
  type JwtAlgorithm,
  type JwtKey,
  type JwtKeyInput,
  MIN_HS256_SECRET_BYTES,
} from './jwt/jwt-keys.js';
export {
  createMemoryRevocationStore,
  type MemoryRevocationStoreOptions,
} from './jwt/memory-revocation-store.js';
export { principalFromClaims } from './jwt/principal-from-claims.js';
export {
  createRedisRevocationStore,
  type RedisRevocationStoreOptions,
} from './jwt/redis-revocation-store.js';
export type { RevocationStore, RevocationSubject } from './jwt/revocation-store.js';
export { createVerifiedTokenCache, type VerifiedTokenCache } from './jwt/verified-token-cache.js';
export {
  createJwtVerifier,
  type JwtVerifier,
  type JwtVerifierOptions,
  SERVICE_TOKEN_TYP,
  type VerifiedJwt,
} from './jwt/verify-jwt.js';
export {
  LEGACY_SCHEMES,
  LEGACY_WINDOW_MS,
  type LegacyScheme,
  legacyPayload,
  TEMP_SIGNATURE,
} from './legacy/legacy-schemes.js';
export { type LegacySignInput, signLegacy } from './legacy/sign-legacy.js';
export {
  createLegacyVerifier,
  type LegacyVerifier,
  type LegacyVerifierOptions,
} from './legacy/verify-legacy.js';
export {
  createMeshIdentityVerifier,
  type MeshIdentityOptions,
  type MeshIdentityVerifier,
  type MeshRequest,
} from './mesh/verify-mesh-identity.js';
export { type AuthMetrics, createAuthMetrics } from './metrics/auth-metrics.js';
export { hasPermission, permissionMatches } from './permissions/permission-matches.js';
export {
  requirePermission,
  SEED_001_SERVICE_PERMISSIONS,
  type ServicePermissionMap,
  servicePermissions,
} from './permissions/service-permissions.js';
export {
  createMemoryNonceStore,
  type MemoryNonceStore,
  type MemoryNonceStoreOptions,
} from './replay/memory-nonce-store.js';
export type { NonceStore } from './replay/nonce-store.js';
export { createRedisNonceStore, type RedisNonceStoreOptions } from './replay/redis-nonce-store.js';
export { assertStrongSecret, MIN_SECRET_BYTES } from './secrets/assert-strong-secret.js';
export {
  createServiceTokenSigner,
  MAX_SERVICE_TOKEN_TTL_SECONDS,
  type ServiceTokenClaims,
  type ServiceTokenSignerOptions,
} from './service-tokens/sign-service-token.js';
export {
  createServiceTokenVerifier,
  type ServiceTokenVerifierOptions,
} from './service-tokens/verify-service-token.js';
export {
  isSignatureAlgorithm,
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithm,
  type SigningAlgorithm,
  signBase,
  verifyBase,
} from './signatures/algorithms.js';
export { createContentDigest, verifyContentDigest } from './signatures/content-digest.js';
export {
  createRequestSigner,
  type OutboundRequest,
  type RequestSignerOptions,
} from './signatures/create-request-signer.js';
export {
  fieldValue,
  type HeaderMap,
  lowerCaseHeaders,
  type ResolvedTarget,
  resolveTarget,
  type SignableRequest,
} from './signatures/http-message.js';
export {
  IDENTITY_HEADERS,
  MAX_SIGNATURE_VALIDITY_SECONDS,
  SIGNATURE_CLOCK_SKEW_SECONDS,
  SIGNATURE_LABEL,
  SIGNATURE_TAG,
} from './signatures/profile.js';
export { type SignedHeaders, type SignRequestOptions, signRequest } from './signatures/sign-request.js';
export {
  buildSignatureBase,
  type ComponentId,
  component,
  type SignatureBase,
} from './signatures/signature-base.js';
export {
  createKeyring,
  createSigningKey,
  createVerificationKey,
  type KeyMaterial,
  type Keyring,
  MIN_HMAC_SECRET_BYTES,
  type SigningKey,
  type SigningKeyInput,
  type VerificationKey,
  type VerificationKeyInput,
} from './signatures/signature-keys.js';
export {
  createRequestVerifier,
  type VerifiedRequest,
  type VerifyRequestOptions,
  verifyRequest,
} from './signatures/verify-request.js';
export { type MandrillWebhookOptions, verifyMandrillWebhook } from './webhooks/verify-mandrill-webhook.js';
export { verifyQuickBooksWebhook } from './webhooks/verify-quickbooks-webhook.js';
export { type SquareWebhookOptions, verifySquareWebhook } from './webhooks/verify-square-webhook.js';
export { type StandardWebhookOptions, verifyStandardWebhook } from './webhooks/verify-standard-webhook.js';
export { type StripeWebhookOptions, verifyStripeWebhook } from './webhooks/verify-stripe-webhook.js';
