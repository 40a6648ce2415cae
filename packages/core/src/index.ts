export {
  CONFIG_OPTIONAL_IN_PRODUCTION,
  CONFIG_ROLE,
  type ConfigRole,
  CorsOrigins,
  KNOWN_DEFAULT_SECRETS,
  MIN_SECRET_LENGTH,
  Secret,
  UpstreamUrl,
} from './config/config-types.js';
export { ConfigError, type ConfigIssue, type LoadConfigOptions, loadConfig } from './config/load-config.js';
export type { Principal, ServicePrincipal, UserPrincipal } from './context/principal.js';
export {
  currentContext,
  type RequestContext,
  remainingTime,
  requireContext,
  runWithContext,
  type TraceContext,
  updateContext,
} from './context/request-context.js';
export {
  type CoreErrorCode,
  coreErrorCodes,
  defineErrorCodes,
  type ErrorCodeInfo,
  type ErrorCodesIn,
  type ErrorCodeTable,
} from './errors/error-codes.js';
// The docs-table check is a test tool (./internal); it stays here only until the client's and the
// gateway's error-code tests import it from there.
export { diffErrorTable, type ErrorTableRow, parseErrorTable } from './errors/error-table.js';
export {
  CoreError,
  errorClassFor,
  InterlinkError,
  type InterlinkErrorOptions,
  isInterlinkError,
} from './errors/interlink-error.js';
export { isRetryable, notRetryable } from './errors/is-retryable.js';
export {
  createProblem,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type ProblemInput,
  problemType,
} from './errors/problem-details.js';
export { bearerToken } from './http/bearer-token.js';
export { type HeaderMap, lowerCaseHeaders } from './http/header-map.js';
export { type CreateLoggerOptions, createLogger } from './logger/create-logger.js';
export { isSensitiveHeader, REDACTED, redactHeaders, redactUrl } from './logger/redact.js';
export {
  type BatchedCounter,
  batchedCounter,
  type CounterSeries,
  type LabelledHistogram,
  type LabelledHistogramSeries,
  labelledHistogram,
} from './metrics/batched-metrics.js';
export { type CreateMetricsOptions, createMetrics, type ServiceMetrics } from './metrics/create-metrics.js';
export { type BackoffOptions, backoffDelay, exponentialBackoff } from './retry/backoff.js';
export {
  createService,
  DEFAULT_SERVICE_TIMEOUTS,
  type ListenOptions,
  type MetricsEndpointOptions,
  type Service,
  type ServiceApp,
  type ServiceOptions,
  type ServiceTimeouts,
} from './service/create-service.js';
export {
  type FieldError,
  problemErrorHandler,
  problemFromError,
  problemNotFoundHandler,
} from './service/problem-error-handler.js';
export type { ReadinessCheck, ReadinessReport } from './service/readiness.js';
export {
  DEADLINE_HEADER,
  MAX_DEADLINE_AHEAD_MS,
  parseDeadline,
  REQUEST_ID_HEADER,
  requestIdFrom,
} from './service/request-hooks.js';
export { markRouteAuthEnforced } from './service/route-auth-guard.js';
export { API_HELMET_OPTIONS, helmetHeaders } from './service/security-headers.js';
export { profileHeaders, SERVICE_PROFILES, type ServiceProfile } from './service/service-profile.js';
export {
  formatTraceparent,
  formatTracestate,
  newSpanId,
  newTraceAndSpanId,
  newTraceId,
  parseTraceparent,
  parseTracestate,
  TRACESTATE_MAX_LENGTH,
  TRACESTATE_MAX_MEMBERS,
  type TraceParent,
  type TraceState,
  updateTracestate,
} from './trace/trace-context.js';
