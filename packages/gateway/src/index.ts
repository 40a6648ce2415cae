// `@interlink/gateway`: what a user calls to build, wire and run the realtime gateway. Internals that
// only tests and benchmarks need are in `./internal.ts` (`@interlink/gateway/internal`); the
// development demo's parts in `./demo.ts` (`@interlink/gateway/demo`).
export {
  type JwtVerifierLike,
  type RequestSignerLike,
  type RequestVerifierLike,
  type SignedRequestLike,
  signedServiceAuthenticator,
  upstreamSigner,
  userTokenVerifier,
} from './auth/auth-adapters.js';
export type { VerifiedPrincipal, VerifyUserToken } from './auth/authenticate-user.js';
export { createDevUserTokens, type DevUserTokens } from './auth/dev-user-tokens.js';
export { restrictJwtAlgorithms } from './auth/restrict-jwt-algorithms.js';
export { createServiceTokenAuthenticator } from './auth/service-token-authenticator.js';
export {
  type GatewayEnv,
  GatewayEnvSchema,
  type GatewayProductionEnv,
  GatewayProductionEnvSchema,
  loadGatewayEnv,
} from './config/gateway-env.js';
export {
  type GatewayProductionConfig,
  loadGatewayProductionConfig,
} from './config/load-production-config.js';
export { parseServiceKeys, type ServiceKeys } from './config/parse-service-keys.js';
export {
  type DemoSignIn,
  type EmbeddedGateway,
  type EmbeddedGatewayOptions,
  startEmbeddedGateway,
} from './embedded/start-embedded-gateway.js';
export {
  type StartEmbeddedGatewayFromEnvOptions,
  startEmbeddedGatewayFromEnv,
} from './embedded/start-embedded-gateway-from-env.js';
export { GatewayError, type GatewayErrorCode, gatewayErrorCodes } from './errors/gateway-error.js';
export {
  type BusEventSource,
  type BusEventSourceOptions,
  createBusEventSource,
} from './events/bus-event-source.js';
export type { GatewayEventSource, PublishInput, ReplayResult, StreamEvent } from './events/event-source.js';
export {
  createGatewayBus,
  createGatewayEvents,
  type GatewayBusOptions,
  type GatewayLayout,
} from './events/gateway-bus.js';
export { tenantSubject, userSubject } from './events/subjects.js';
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
export type { ProxyOptions, SignUpstreamRequest, UpstreamRequest } from './proxy/proxy-route.js';
export { createMemoryStreamTokenStore } from './tokens/memory-stream-token-store.js';
export { createRedisStreamTokenStore } from './tokens/redis-stream-token-store.js';
export type { StreamTokenRecord, StreamTokenStore } from './tokens/stream-token-store.js';
export type { StreamTokens } from './tokens/stream-tokens.js';
