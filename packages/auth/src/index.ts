export { AuthError, isAuthError } from './errors/auth-error.js';
export { type AuthErrorCode, authErrorCodes } from './errors/auth-error-codes.js';
export {
  type AuthKind,
  type AuthPluginOptions,
  authPlugin,
  authPreHandler,
  loopbackBinding,
} from './fastify/auth-plugin.js';
export type { PrincipalFor, RoutePrincipal } from './fastify/route-principal.js';
export { createJwksKeySource, type JwksKeySourceOptions, type JwtKeySource } from './jwt/jwks-key-source.js';
export { isJwtAlgorithm, JWT_ALGORITHMS } from './jwt/jws-algorithms.js';
export {
  createJwtKey,
  type JwtAlgorithm,
  type JwtKey,
  type JwtKeyInput,
} from './jwt/jwt-keys.js';
export {
  createMemoryRevocationStore,
  type MemoryRevocationStoreOptions,
} from './jwt/memory-revocation-store.js';
export {
  createRedisRevocationStore,
  type RedisRevocationStoreOptions,
} from './jwt/redis-revocation-store.js';
export type { RevocationStore, RevocationSubject } from './jwt/revocation-store.js';
export { type JwsKeyResolver, type VerifiedJws, verifyCompactJws } from './jwt/verify-compact-jws.js';
export {
  createJwtVerifier,
  type JwtVerifier,
  type JwtVerifierOptions,
  type VerifiedJwt,
} from './jwt/verify-jwt.js';
export type { LegacyScheme } from './legacy/legacy-schemes.js';
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
export { hasPermission } from './permissions/permission-matches.js';
export {
  requirePermission,
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
export { assertStrongSecret } from './secrets/assert-strong-secret.js';
export {
  createServiceTokenSigner,
  type ServiceTokenClaims,
  type ServiceTokenSignerOptions,
} from './service-tokens/sign-service-token.js';
export {
  createServiceTokenVerifier,
  type ServiceTokenVerifierOptions,
} from './service-tokens/verify-service-token.js';
export {
  isSignatureAlgorithm,
  type SignatureAlgorithm,
  type SigningAlgorithm,
} from './signatures/algorithms.js';
export {
  createRequestSigner,
  type OutboundRequest,
  type RequestSignerOptions,
} from './signatures/create-request-signer.js';
export type { SignableMessage, SignableRequest, SignableResponse } from './signatures/http-message.js';
export {
  type ComponentSpec,
  createMessageSigner,
  createMessageSigningKey,
  INTERLINK_RESPONSE_SIGNING,
  type MessageSigningKey,
  type MessageSigningKeyInput,
  type SignatureParameter,
  type SignedMessageHeaders,
  type SigningProfile,
  type SignMessageOptions,
  signMessage,
  signResponse,
} from './signatures/sign-message.js';
export { type SignedHeaders, type SignRequestOptions, signRequest } from './signatures/sign-request.js';
export {
  createKeyring,
  createSigningKey,
  createVerificationKey,
  type KeyMaterial,
  type Keyring,
  type SigningKey,
  type SigningKeyInput,
  type VerificationKey,
  type VerificationKeyInput,
} from './signatures/signature-keys.js';
export {
  INTERLINK_PROFILE,
  INTERLINK_RESPONSE_PROFILE,
  type SignatureProfile,
} from './signatures/signature-profile.js';
export {
  createRequestVerifier,
  type RequestVerifier,
  type VerifiedRequest,
  type VerifyRequestOptions,
  verifyRequest,
  verifyResponse,
} from './signatures/verify-request.js';
export {
  createMandrillWebhookVerifier,
  type MandrillWebhookOptions,
  type MandrillWebhookVerifier,
} from './webhooks/verify-mandrill-webhook.js';
export {
  createQuickBooksWebhookVerifier,
  type QuickBooksWebhookOptions,
  type QuickBooksWebhookVerifier,
} from './webhooks/verify-quickbooks-webhook.js';
export {
  createSquareWebhookVerifier,
  type SquareWebhookOptions,
  type SquareWebhookVerifier,
} from './webhooks/verify-square-webhook.js';
export {
  createStandardWebhookVerifier,
  type StandardWebhookOptions,
  type StandardWebhookVerifier,
} from './webhooks/verify-standard-webhook.js';
export {
  createStripeWebhookVerifier,
  type StripeWebhookOptions,
  type StripeWebhookVerifier,
} from './webhooks/verify-stripe-webhook.js';
