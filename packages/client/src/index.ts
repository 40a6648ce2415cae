export type { CallOptions, JsonCallOptions, QueryValue } from './client/call-options.js';
export {
  type ClientResponse,
  createServiceClient,
  type RetryOptions,
  type ServiceClient,
  type ServiceClientOptions,
} from './client/create-service-client.js';
export {
  ClientError,
  type ClientErrorOptions,
  isClientError,
  type UpstreamAnswer,
} from './errors/client-error.js';
export { type ClientErrorCode, clientErrorCodes } from './errors/client-error-codes.js';
export {
  type FailClosedPolicy,
  type FailurePolicy,
  type FallbackPolicy,
  failClosed,
  fallback,
  isOutage,
  type NoFallbackPolicy,
  none,
} from './failure/failure-policy.js';
export {
  type ClientMetrics,
  type ClientMetricsOptions,
  createClientMetrics,
} from './observability/client-metrics.js';
export { CLIENT_CHANNELS } from './observability/diagnostics-channels.js';
export {
  type PropagationInput,
  TENANT_HEADER,
  USER_HEADER,
  writePropagationHeaders,
} from './propagation/propagation-headers.js';
export {
  type BreakerOptions,
  type BulkheadOptions,
  isBreakerFailure,
  type TargetGuards,
} from './resilience/target-guards.js';
export { formatIdempotencyKey, IDEMPOTENCY_KEY_HEADER, newIdempotencyKey } from './retry/idempotency-key.js';
export { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from './retry/retry-budget.js';
export { isIdempotentMethod, isRetryableStatus, parseRetryAfter } from './retry/retry-rules.js';
export { assertSecureTarget } from './security/assert-secure-target.js';
export { combineSigners } from './signing/combine-signers.js';
export {
  type LegacyApiKeySignerOptions,
  type LegacyHmacSignerOptions,
  type LegacySignerOptions,
  legacySigner,
} from './signing/legacy-signer.js';
export type { RequestSigner, SignableRequest } from './signing/request-signer.js';
export { type ServiceTokenRequestSignerOptions, serviceTokenSigner } from './signing/service-token-signer.js';
export { createTransport, type Transport, type TransportOptions } from './transport/transport.js';
export {
  createTypedClient,
  type TypedCallOptions,
  type TypedClient,
} from './typed/create-typed-client.js';
export {
  defineRoute,
  type RouteDefinition,
  type RouteInput,
  type RouteMethod,
  type RouteOutput,
} from './typed/route-definition.js';
export {
  createTicketServiceClient,
  OrderTicketsResponse,
  type TicketServiceClient,
  TicketStatusResponse,
  TransferTicketBody,
  TransferTicketResponse,
  ticketServiceRoutes,
} from './typed/ticket-service-client.js';
