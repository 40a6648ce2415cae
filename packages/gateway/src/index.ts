export {
  type JwtVerifierLike,
  type RequestSignerLike,
  type RequestVerifierLike,
  type SignedRequestLike,
  signedServiceAuthenticator,
  upstreamSigner,
  userTokenVerifier,
} from './auth/auth-adapters.js';
export {
  authenticateUser,
  bearerToken,
  looksLikeJwt,
  type StreamIdentity,
  streamIdentity,
  type VerifiedPrincipal,
  type VerifyUserToken,
} from './auth/authenticate-user.js';
export { createDevUserTokens, type DevUserTokens } from './auth/dev-user-tokens.js';
export { restrictJwtAlgorithms } from './auth/restrict-jwt-algorithms.js';
export { createServiceTokenAuthenticator } from './auth/service-token-authenticator.js';
export {
  type GatewayEnv,
  GatewayEnvSchema,
  type GatewayProductionEnv,
  GatewayProductionEnvSchema,
  JWT_ALGORITHMS,
  loadGatewayEnv,
} from './config/gateway-env.js';
export {
  type GatewayProductionConfig,
  loadGatewayProductionConfig,
} from './config/load-production-config.js';
export { realtimeClientDist, registerDemoRoutes } from './demo/demo-routes.js';
export {
  type EmbeddedGateway,
  type EmbeddedGatewayOptions,
  startEmbeddedGateway,
} from './embedded/start-embedded-gateway.js';
export { GatewayError, type GatewayErrorCode, gatewayErrorCodes } from './errors/gateway-error.js';
export { encodeFrame, PING_FRAME } from './events/encode-frame.js';
export { type EventPosition, formatEventId, parseEventId } from './events/event-id.js';
export type { GatewayEventSource, PublishInput, ReplayResult, StreamEvent } from './events/event-source.js';
export {
  createJetStreamEventSource,
  EVENT_TYPE_HEADER,
  type JetStreamEventSourceOptions,
} from './events/jetstream-event-source.js';
export { createMemoryEventSource, type MemoryEventSourceOptions } from './events/memory-event-source.js';
export { isSubjectToken, tenantSubject, userSubject } from './events/subjects.js';
export {
  createGateway,
  type Gateway,
  type GatewayOptions,
  type GatewayRateLimits,
} from './gateway/create-gateway.js';
export { type AuthenticateService, PUBLISH_PERMISSION } from './internal/publish-route.js';
export type {
  AcquireResult,
  ConnectionLease,
  ConnectionLimiter,
  ConnectionLimits,
} from './limits/connection-limiter.js';
export { createMemoryConnectionLimiter } from './limits/memory-connection-limiter.js';
export {
  createRedisConnectionLimiter,
  type RedisConnectionLimiterOptions,
} from './limits/redis-connection-limiter.js';
export { exitOnStartupError } from './production/exit-on-startup-error.js';
export {
  type GatewayFromEnv,
  type StartGatewayFromEnvOptions,
  startGatewayFromEnv,
} from './production/start-gateway-from-env.js';
export { isStrippedHeader, stripClientHeaders } from './proxy/proxy-headers.js';
export { upstreamPath } from './proxy/proxy-path.js';
export type { ProxyOptions, SignUpstreamRequest, UpstreamRequest } from './proxy/proxy-route.js';
export { createMemoryStreamTokenStore } from './tokens/memory-stream-token-store.js';
export { createRedisStreamTokenStore } from './tokens/redis-stream-token-store.js';
export type { StreamTokenRecord, StreamTokenStore } from './tokens/stream-token-store.js';
export { createStreamTokens, hashStreamToken, type StreamTokens } from './tokens/stream-tokens.js';
