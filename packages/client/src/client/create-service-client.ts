import type { Dispatcher } from 'undici';
import { createCallDeadline } from '../deadline/call-deadline.js';
import { ClientError } from '../errors/client-error.js';
import { toClientError } from '../errors/to-client-error.js';
import { fallbackValue, isOutage } from '../failure/failure-policy.js';
import { createAttemptObserver } from '../observability/attempt-observer.js';
import { createCallRecorder } from '../observability/call-recorder.js';
import type { ClientMetrics } from '../observability/client-metrics.js';
import { propagateAttempt } from '../propagation/propagate-attempt.js';
import {
  type BreakerOptions,
  type BulkheadOptions,
  createTargetGuards,
} from '../resilience/target-guards.js';
import { createRetries, type RetriesOptions, type RetryOptions } from '../retry/retries.js';
import { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from '../retry/retry-budget.js';
import { assertSecureTarget } from '../security/assert-secure-target.js';
import type { RequestSigner } from '../signing/request-signer.js';
import { createAttemptSigner } from '../signing/sign-attempt.js';
import { sendAttempt } from '../transport/send-attempt.js';
import { sendBufferedAttempt } from '../transport/send-buffered-attempt.js';
import { createTransport, type Transport, type TransportOptions } from '../transport/transport.js';
import { attemptEnd, composeAttempt } from './attempt.js';
import type { CallOptions, JsonCallOptions } from './call-options.js';
import { type Clock, systemClock } from './clock.js';
import { operationOf, type PreparedCall, prepareCall } from './prepared-call.js';
import { parseJson } from './read-json.js';

export type { RetryOptions } from '../retry/retries.js';

export interface ServiceClientOptions {
  /** The target service's name: in metrics, errors and diagnostics. */
  service: string;
  /** The target's base URL; `https:` is required in production. */
  baseUrl: string | URL;
  /** A transport shared between clients; otherwise the client makes (and closes) its own. */
  transport?: Transport;
  /** Options of the client's own transport when `transport` is not given. */
  transportOptions?: TransportOptions;
  /** Signs every attempt (RFC 9421 from `@interlink/auth` in production). */
  signer?: RequestSigner;
  /** Refuse `http:` targets; `NODE_ENV === 'production'` by default. */
  production?: boolean;
  /** The default time budget of one call, retries included; 10 s by default (seed 002). */
  timeoutMs?: number;
  retry?: RetryOptions | false;
  /** The target's retry budget: options, a budget shared with other clients, or `false` for none. */
  retryBudget?: RetryBudgetOptions | RetryBudget | false;
  breaker?: BreakerOptions | false;
  bulkhead?: BulkheadOptions | false;
  /** Shared metrics from {@link createClientMetrics}; none when absent. */
  metrics?: ClientMetrics;
  /** The random source of the backoff jitter, for tests. */
  random?: () => number;
  /** The clock of deadlines, backoff waits, the breaker and the retry budget, for tests; the system's by default. */
  clock?: Clock;
}

/** A successful (2xx) response whose body is still a stream: consume or destroy it. */
export interface ClientResponse {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Dispatcher.ResponseData['body'];
  /** Attempts made, the successful one included. */
  attempts: number;
}

/** A client for one target service. */
export interface ServiceClient {
  readonly service: string;
  readonly baseUrl: URL;
  /** Sends a call; resolves with a 2xx response and a streaming body, raises a {@link ClientError} otherwise. */
  request(options: CallOptions): Promise<ClientResponse>;
  /** Sends a call and parses its JSON answer (`undefined` for an empty body), applying the call's failure policy. */
  json<T = unknown>(options: JsonCallOptions<T>): Promise<T>;
  /** The breaker's state for the target, or for an operation with per-operation breakers. */
  breakerState(operation?: string): 'closed' | 'open' | 'half-open' | 'isolated';
  /** Holds the circuit open by hand; dispose to release. */
  isolate(operation?: string): { dispose(): void };
  readonly retryBudget: RetryBudget | undefined;
  /** Closes the client's own transport (a shared one is left to its owner). */
  close(): Promise<void>;
}

/**
 * Creates a client for one target service: a keep-alive undici pool, and around it the client's
 * behaviours, composed once here. Per call: the deadline, then attempts and retries within a
 * budget. Per attempt (`composeAttempt`): the breaker and bulkhead, propagation, signing, attempt
 * metrics and diagnostics, and the transport step that sends it and maps its outcome; the steps
 * before sending are synchronous and those after run in the transport's callback. `json()` reads the
 * answer whole through its own undici handler (`transport/send-buffered-attempt.ts`), so the usual
 * call is one promise; `request()` streams the body.
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const service = options.service;
  const baseUrl = new URL(options.baseUrl);
  const production = options.production ?? process.env.NODE_ENV === 'production';
  assertSecureTarget(service, baseUrl, production);
  const basePath = baseUrl.pathname.replace(/\/+$/, '');
  const origin = baseUrl.origin;
  const ownTransport = options.transport === undefined;
  const transport = options.transport ?? createTransport(options.transportOptions);
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics;
  const budget =
    options.retryBudget === false
      ? undefined
      : options.retryBudget && 'tryRetry' in options.retryBudget
        ? options.retryBudget
        : createRetryBudget(options.retryBudget);
  const guards = createTargetGuards({
    service,
    breaker: options.breaker ?? {},
    bulkhead: options.bulkhead ?? {},
    metrics,
    now: clock.now,
  });
  const guarded = options.breaker !== false || options.bulkhead !== false;

  const observer = createAttemptObserver(service, metrics);
  const end = attemptEnd(observer);
  const pool = transport.pool(origin);
  // The steps of an attempt, shared by both transports: streamed for request(), buffered for json().
  const parts = {
    guards: guarded ? guards : undefined,
    decorate: propagateAttempt,
    sign: options.signer ? createAttemptSigner(service, origin, options.signer) : undefined,
    observer,
  };
  const streamed = composeAttempt({
    ...parts,
    send: sendAttempt(pool, transport.defaults, service, clock, end),
  });
  const buffered = composeAttempt({
    ...parts,
    send: sendBufferedAttempt(pool, transport.defaults, service, clock, end),
  });
  // Without retries the one attempt still goes through them: they count it on the error.
  const retries: RetriesOptions = {
    ...(options.retry === false ? { maxAttempts: 1 } : options.retry),
    service,
    budget,
    metrics,
    clock,
    random: options.random ?? Math.random,
  };
  const afterStreamedFailure = createRetries(retries, (call) => streamed(call, undefined));
  const afterBufferedFailure = createRetries(retries, (call) => buffered(call, undefined));
  const startDeadline = createCallDeadline({ service, defaultTimeoutMs: options.timeoutMs ?? 10_000, clock });
  /** Starts a call: its deadline and its count in the retry budget, before its first attempt. */
  function start(call: PreparedCall): void {
    startDeadline(call);
    budget?.recordRequest(clock.now());
    call.attempt = 1;
  }
  const record = createCallRecorder(service, metrics);

  return {
    service,
    baseUrl,
    retryBudget: budget,
    async request(call) {
      const started = performance.now();
      let prepared: PreparedCall | undefined;
      let response: Dispatcher.ResponseData;
      try {
        prepared = prepareCall(call, service, origin, basePath);
        start(prepared);
        response = await streamed(prepared, afterStreamedFailure);
      } catch (error) {
        prepared?.cancellation.dispose();
        const code = error instanceof ClientError ? error.code : 'error';
        record(prepared?.operation ?? operationOf(call), started, code, (error as ClientError).attempts ?? 0);
        throw error;
      }
      // The deadline guards the body the caller streams, until it closes.
      const cancellation = prepared.cancellation;
      response.body.once('close', () => cancellation.dispose());
      record(prepared.operation, started, 'ok', prepared.attempt);
      return {
        status: response.statusCode,
        headers: response.headers,
        body: response.body,
        attempts: prepared.attempt,
      };
    },
    async json<T>(call: JsonCallOptions<T>): Promise<T> {
      const started = performance.now();
      let prepared: PreparedCall | undefined;
      try {
        prepared = prepareCall(call, service, origin, basePath);
        start(prepared);
        const response = await buffered(prepared, afterBufferedFailure);
        // The body is read (or failed): the deadline has nothing left to guard.
        prepared.cancellation.dispose();
        if (response.bodyError !== undefined) {
          throw toClientError(response.bodyError, service, prepared.cancellation.kind);
        }
        const value = parseJson(service, response.body, call);
        record(prepared.operation, started, 'ok', prepared.attempt);
        return value;
      } catch (error) {
        prepared?.cancellation.dispose();
        const operation = prepared?.operation ?? operationOf(call);
        const attempts = (error as ClientError).attempts ?? prepared?.attempt ?? 0;
        const policy = call.failure;
        if (policy?.kind === 'fallback' && isOutage(error)) {
          metrics?.fallbacks.inc({ target: service, operation });
          record(operation, started, 'fallback', attempts);
          return fallbackValue(policy);
        }
        record(operation, started, error instanceof ClientError ? error.code : 'error', attempts);
        throw error;
      }
    },
    breakerState: (operation) => guards.state(operation),
    isolate: (operation) => guards.isolate(operation),
    async close() {
      if (ownTransport) await transport.close();
    },
  };
}
