import type { CounterSeries } from '@interlink/core';
import {
  type BatchedHistogram,
  currentContext,
  formatTraceparent,
  newSpanId,
  newTraceAndSpanId,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type RequestContext,
} from '@interlink/core';
import type { Dispatcher } from 'undici';
import { ClientError, type UpstreamAnswer } from '../errors/client-error.js';
import { fallbackValue, isOutage } from '../failure/failure-policy.js';
import type { ClientMetrics } from '../observability/client-metrics.js';
import {
  attemptEndChannel,
  attemptStartChannel,
  requestEndChannel,
  retryChannel,
} from '../observability/diagnostics-channels.js';
import { formatDeadline, writeAttemptHeaders } from '../propagation/propagation-headers.js';
import {
  type BreakerOptions,
  type BulkheadOptions,
  createTargetGuards,
} from '../resilience/target-guards.js';
import { formatIdempotencyKey, IDEMPOTENCY_KEY_HEADER, newIdempotencyKey } from '../retry/idempotency-key.js';
import { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from '../retry/retry-budget.js';
import {
  fullJitterDelay,
  isIdempotentMethod,
  isRetryableStatus,
  parseRetryAfter,
} from '../retry/retry-rules.js';
import { assertSecureTarget } from '../security/assert-secure-target.js';
import type { RequestSigner } from '../signing/request-signer.js';
import { createTransport, type Transport, type TransportOptions } from '../transport/transport.js';
import type { CallOptions, JsonCallOptions, QueryValue } from './call-options.js';
import { CallSignal, SignalFanout, sleepUnlessAborted } from './call-signal.js';
import { readBodyLimited } from './read-body.js';

export interface RetryOptions {
  /** Attempts per logical call, the first included; 3 by default. */
  maxAttempts?: number;
  /** The first retry's backoff ceiling; 50 ms by default. */
  baseDelayMs?: number;
  /** The largest backoff ceiling; 2 s by default. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the call fails at once. 10 s by default. */
  maxRetryAfterMs?: number;
}

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

const ERROR_BODY_LIMIT = 64 * 1024;
const DEFAULT_JSON_LIMIT = 8 * 1024 * 1024;
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

interface PreparedCall {
  method: string;
  path: string;
  /** The full URL, as a string: parsing a URL per call costs more than the signer needs. */
  url: string;
  operation: string;
  /** The call's own headers, lower-cased, with content type and idempotency key; none when empty. */
  baseHeaders: Record<string, string> | undefined;
  body: string | Buffer | Uint8Array | NonNullable<CallOptions['body']> | undefined;
  signBody: Uint8Array | undefined;
  streamed: boolean;
  retryable: boolean;
  context: RequestContext | undefined;
  traceId: string;
  /** The first attempt's span id when it was drawn with a new trace id; later attempts draw their own. */
  firstSpanId: string | undefined;
  flags: number;
  deadline: number;
  /** The `x-interlink-deadline` value, formatted once per call. */
  deadlineHeader: string | undefined;
  signal: CallSignal;
  headersTimeout: number;
  bodyTimeout: number;
  tenantId: string | undefined;
  userId: string | undefined;
  /** Attempts made so far. */
  attempts: number;
  /** The first attempt's headers (or signing failure) when it was admitted by the guards but left to execute. */
  enteredHeaders: Promise<Record<string, string>> | undefined;
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function appendQuery(path: string, query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const qs = params.toString();
  if (qs === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${qs}`;
}

function parseProblem(
  body: Buffer | undefined,
  contentType: string | string[] | undefined,
): ProblemDetails | undefined {
  if (!body || body.length === 0) return undefined;
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  if (!type || !(type.startsWith(PROBLEM_CONTENT_TYPE) || type.startsWith('application/json')))
    return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as ProblemDetails;
  } catch {
    // Not JSON after all: the status alone describes the failure.
  }
  return undefined;
}

/**
 * Reads a body as text within `limit` bytes. A declared length within the limit takes undici's own
 * fast path; anything else is read chunk by chunk and cut off past the limit.
 */
function readText(response: Dispatcher.ResponseData, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers['content-length']);
  if (Number.isInteger(declared) && declared >= 0) {
    if (declared > limit) {
      response.body.destroy();
      return Promise.resolve(undefined);
    }
    return response.body.text();
  }
  return readBodyLimited(response.body, limit).then((raw) => raw?.toString('utf8'));
}

/** The upstream's own error code, when it is a safe-looking Interlink code. */
function safeCode(problem: ProblemDetails | undefined): string | undefined {
  const code = problem?.code;
  return typeof code === 'string' && /^ERR_[A-Z0-9_]{1,60}$/.test(code) ? code : undefined;
}

/**
 * Creates a client for one target service: a keep-alive undici pool, context propagation, a
 * deadline, signing per attempt, retries within a budget, a circuit breaker and a bulkhead.
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
  const pool = transport.pool(baseUrl.origin);
  const signer = options.signer;
  const metrics = options.metrics;
  const random = options.random ?? Math.random;
  const sharedSignals = new SignalFanout();
  const defaultTimeout = options.timeoutMs ?? 10_000;
  const retry = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
  const maxAttempts = Math.max(1, retry.maxAttempts ?? 3);
  const baseDelayMs = retry.baseDelayMs ?? 50;
  const maxDelayMs = retry.maxDelayMs ?? 2_000;
  const maxRetryAfterMs = retry.maxRetryAfterMs ?? 10_000;
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
  });
  // Handles of the series touched on every call (attempts by status class; per operation, the
  // count and duration of successful calls), made once: counting through a handle skips joining
  // and looking up the labels on every call.
  const attemptSeriesByClass: Array<CounterSeries | undefined> = [];
  const okSeries = new Map<
    string,
    { requests: CounterSeries; duration: ReturnType<BatchedHistogram['series']> }
  >();
  // Calls started in the same millisecond share their deadline: its header is formatted once.
  let lastDeadline = Number.NaN;
  let lastDeadlineHeader: string | undefined;

  function countAttempt(m: ClientMetrics, status: number): void {
    const statusClass = Math.floor(status / 100);
    let series = attemptSeriesByClass[statusClass];
    if (!series) {
      series = m.attempts.series([service, `${statusClass}xx`]);
      attemptSeriesByClass[statusClass] = series;
    }
    series.add();
  }

  function recordOk(m: ClientMetrics, operation: string, seconds: number): void {
    let series = okSeries.get(operation);
    if (!series) {
      const labels = [service, operation, 'ok'];
      series = { requests: m.requests.series(labels), duration: m.duration.series(labels) };
      // Operations are a handful of names; the bound only keeps a misuse from growing the cache.
      if (okSeries.size < 256) okSeries.set(operation, series);
    }
    series.requests.add();
    series.duration.observe(seconds);
  }

  function deadlineHeaderOf(deadline: number): string | undefined {
    if (deadline !== lastDeadline) {
      lastDeadline = deadline;
      lastDeadlineHeader = formatDeadline(deadline);
    }
    return lastDeadlineHeader;
  }

  function prepare(call: CallOptions, signal: CallSignal, now: number): PreparedCall {
    if (!call.path.startsWith('/') || call.path.startsWith('//')) {
      throw new ClientError(
        'ERR_CLIENT_REQUEST_INVALID',
        `${service}: a call path must start with a single "/"`,
      );
    }
    const method = call.method === undefined ? 'GET' : call.method.toUpperCase();
    const path = appendQuery(basePath + call.path, call.query);
    let baseHeaders = call.headers ? lowerCaseHeaders(call.headers) : undefined;
    let body: PreparedCall['body'];
    let signBody: Uint8Array | undefined;
    let streamed = false;
    if (call.json !== undefined) {
      signBody = Buffer.from(JSON.stringify(call.json));
      body = signBody;
      baseHeaders ??= {};
      baseHeaders['content-type'] ??= 'application/json';
    } else if (typeof call.body === 'string') {
      signBody = Buffer.from(call.body);
      body = signBody;
    } else if (call.body instanceof Uint8Array) {
      signBody = call.body;
      body = call.body;
    } else if (call.body !== undefined) {
      body = call.body;
      streamed = true;
    }
    if (call.idempotencyKey !== undefined) {
      baseHeaders ??= {};
      baseHeaders[IDEMPOTENCY_KEY_HEADER] =
        call.idempotencyKey === true ? newIdempotencyKey() : formatIdempotencyKey(call.idempotencyKey);
    }
    const context = currentContext();
    const deadline = Math.min(
      now + (call.timeoutMs ?? defaultTimeout),
      call.deadline ?? Number.POSITIVE_INFINITY,
      context?.deadline ?? Number.POSITIVE_INFINITY,
    );
    if (call.signal) signal.follow(call.signal, 'caller', sharedSignals);
    // The context's signal fires at the caller's deadline (already ours) or when the caller goes away.
    if (context?.signal) signal.follow(context.signal, 'deadline', sharedSignals);
    let traceId: string;
    let firstSpanId: string | undefined;
    if (context) traceId = context.trace.traceId;
    else {
      const ids = newTraceAndSpanId();
      traceId = ids.traceId;
      firstSpanId = ids.spanId;
    }
    return {
      method,
      path,
      url: origin + path,
      operation: call.operation ?? method,
      baseHeaders,
      body,
      signBody,
      streamed,
      retryable:
        !streamed &&
        (method === 'GET' ||
          isIdempotentMethod(method) ||
          baseHeaders?.[IDEMPOTENCY_KEY_HEADER] !== undefined),
      context,
      traceId,
      firstSpanId,
      flags: context?.trace.flags ?? 0,
      deadline,
      deadlineHeader: deadlineHeaderOf(deadline),
      signal,
      headersTimeout: call.headersTimeoutMs ?? transport.defaults.headersTimeoutMs,
      bodyTimeout: call.bodyTimeoutMs ?? transport.defaults.bodyTimeoutMs,
      tenantId: call.tenantId,
      userId: call.userId,
      attempts: 0,
      enteredHeaders: undefined,
    };
  }

  /** Maps anything an attempt threw to a ClientError, telling our deadline from the caller's abort. */
  function toClientError(error: unknown, call: PreparedCall): ClientError {
    if (error instanceof ClientError) return error;
    if (call.signal.kind === 'deadline') {
      return new ClientError('ERR_UPSTREAM_TIMEOUT', `${service}: the call's deadline passed`, {
        cause: error,
        extensions: { upstream: { service }, reason: 'deadline' },
      });
    }
    if (call.signal.kind === 'caller') {
      return new ClientError('ERR_CLIENT_ABORTED', `${service}: the call was aborted by its caller`, {
        cause: error,
      });
    }
    const code = (error as { code?: unknown })?.code;
    if (
      code === 'UND_ERR_CONNECT_TIMEOUT' ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT'
    ) {
      const reason =
        code === 'UND_ERR_CONNECT_TIMEOUT'
          ? 'connect'
          : code === 'UND_ERR_HEADERS_TIMEOUT'
            ? 'headers'
            : 'body';
      return new ClientError('ERR_UPSTREAM_TIMEOUT', `${service}: ${reason} timeout`, {
        cause: error,
        // A connect timeout means nothing was sent: as safe to retry as a refused connection.
        retryable: reason === 'connect',
        extensions: { upstream: { service }, reason },
      });
    }
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) {
      return new ClientError('ERR_UPSTREAM_UNAVAILABLE', `${service}: connection failed (${code})`, {
        cause: error,
        retryable: true,
        extensions: { upstream: { service } },
      });
    }
    return new ClientError('ERR_UPSTREAM_UNAVAILABLE', `${service}: the call failed`, {
      cause: error,
      extensions: { upstream: { service } },
    });
  }

  /** The headers of one attempt, signed; a promise only when the signer is asynchronous. */
  function attemptHeaders(call: PreparedCall): Record<string, string> | Promise<Record<string, string>> {
    const headers: Record<string, string> = call.baseHeaders ? { ...call.baseHeaders } : {};
    let spanId = call.firstSpanId;
    if (spanId === undefined) spanId = newSpanId();
    else call.firstSpanId = undefined;
    writeAttemptHeaders(
      headers,
      call.context,
      formatTraceparent(call.traceId, spanId, call.flags),
      call.deadlineHeader,
      call.tenantId,
      call.userId,
    );
    if (!signer) return headers;
    let signed: Record<string, string> | Promise<Record<string, string>>;
    try {
      signed = signer.sign({
        method: call.method,
        url: call.url,
        origin,
        path: call.path,
        headers,
        body: call.signBody,
        streamedBody: call.streamed,
      });
    } catch (error) {
      throw signingFailed(error);
    }
    // A synchronous signer (HMAC) is not awaited: one microtask less per attempt.
    if (signed instanceof Promise) {
      return signed.then(
        (added) => addSigned(headers, added),
        (error: unknown) => {
          throw signingFailed(error);
        },
      );
    }
    return addSigned(headers, signed);
  }

  function addSigned(headers: Record<string, string>, added: Record<string, string>): Record<string, string> {
    for (const k in added) if (Object.hasOwn(added, k)) headers[k.toLowerCase()] = added[k]!;
    return headers;
  }

  function signingFailed(error: unknown): ClientError {
    // A local failure (a missing key, say): nothing was sent, and the upstream is not to blame.
    return new ClientError('ERR_CLIENT_REQUEST_INVALID', `${service}: the request could not be signed`, {
      cause: error,
    });
  }

  /** Sends one attempt with its headers; the promise is undici's own. */
  function send(
    call: PreparedCall,
    attempt: number,
    headers: Record<string, string>,
  ): Promise<Dispatcher.ResponseData> {
    if (attemptStartChannel.hasSubscribers) {
      attemptStartChannel.publish({ service, method: call.method, url: call.url, attempt, headers });
    }
    return pool.request({
      method: call.method as Dispatcher.HttpMethod,
      path: call.path,
      headers,
      body: call.body as Dispatcher.DispatchOptions['body'],
      signal: call.signal,
      headersTimeout: call.headersTimeout,
      bodyTimeout: call.bodyTimeout,
    });
  }

  /** What undici threw for an attempt, as the ClientError to raise, counted and published. */
  function attemptFailed(error: unknown, call: PreparedCall, attempt: number): ClientError {
    const mapped = toClientError(error, call);
    metrics?.attempts.add([service, mapped.code]);
    if (attemptEndChannel.hasSubscribers) attemptEndChannel.publish({ service, attempt, error: mapped });
    return mapped;
  }

  /** Counts and publishes an attempt's answer; true for a 2xx, which the call returns. */
  function answered(response: Dispatcher.ResponseData, attempt: number): boolean {
    const status = response.statusCode;
    if (metrics) countAttempt(metrics, status);
    if (attemptEndChannel.hasSubscribers) attemptEndChannel.publish({ service, attempt, status });
    return status >= 200 && status < 300;
  }

  /** Reads a non-2xx answer and raises it as `ERR_UPSTREAM_STATUS`. */
  async function statusFailure(response: Dispatcher.ResponseData): Promise<never> {
    const status = response.statusCode;
    const raw = await readBodyLimited(response.body, ERROR_BODY_LIMIT).catch(() => undefined);
    const problem = parseProblem(raw, response.headers['content-type']);
    const upstreamCode = safeCode(problem);
    const upstream: UpstreamAnswer = { service, status };
    if (problem) upstream.problem = problem;
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
    if (retryAfterMs !== undefined) upstream.retryAfterMs = retryAfterMs;
    throw new ClientError(
      'ERR_UPSTREAM_STATUS',
      `${service} answered ${status}${upstreamCode ? ` ${upstreamCode}` : ''}`,
      {
        upstream,
        retryable: isRetryableStatus(status),
        // Only the name, status and code travel on: the upstream's detail may hold its internals.
        extensions: { upstream: { service, status, ...(upstreamCode ? { code: upstreamCode } : {}) } },
      },
    );
  }

  /**
   * One attempt after it was admitted (by the guards' fast check or inside their slow path), with
   * the headers a first attempt already signed when there are some.
   */
  async function attemptOnce(
    call: PreparedCall,
    attempt: number,
    entered?: Record<string, string> | Promise<Record<string, string>>,
  ): Promise<Dispatcher.ResponseData> {
    const prepared = entered ?? attemptHeaders(call);
    const headers = prepared instanceof Promise ? await prepared : prepared;
    let response: Dispatcher.ResponseData;
    try {
      response = await send(call, attempt, headers);
    } catch (error) {
      throw attemptFailed(error, call, attempt);
    }
    if (answered(response, attempt)) return response;
    return statusFailure(response);
  }

  /**
   * Sends the first attempt of the usual call (a closed breaker, a free slot, a synchronous signer)
   * and returns undici's own promise, for {@link respond} to chain on with no async function of
   * the client's in between. Undefined when {@link execute} is to run the call: the guards want
   * their slow path (it asks them again and meets the same answer), or the signer is asynchronous
   * or failed (the attempt, already admitted, is left in `enteredHeaders` for it).
   */
  function sendFirst(call: PreparedCall): Promise<Dispatcher.ResponseData> | undefined {
    call.attempts = 1;
    try {
      if (!guards.tryEnter(call.operation)) return undefined;
    } catch {
      return undefined;
    }
    let headers: Record<string, string> | Promise<Record<string, string>>;
    try {
      headers = attemptHeaders(call);
    } catch (error) {
      headers = Promise.reject(error);
    }
    if (headers instanceof Promise) {
      call.enteredHeaders = headers;
      return undefined;
    }
    return send(call, 1, headers);
  }

  /** Counts a first attempt's answer; true for a 2xx, which ends the call (the attempt leaves the guards). */
  function firstAnswered(call: PreparedCall, response: Dispatcher.ResponseData): boolean {
    if (!answered(response, 1)) return false;
    guards.leave(call.operation, false);
    return true;
  }

  /** The rest of a first attempt sent by {@link sendFirst} that failed or answered non-2xx, then the retries. */
  async function afterFirst(
    call: PreparedCall,
    response: Dispatcher.ResponseData | undefined,
    error: unknown,
  ): Promise<Dispatcher.ResponseData> {
    let failure: ClientError;
    try {
      if (response === undefined) throw attemptFailed(error, call, 1);
      return await statusFailure(response);
    } catch (thrown) {
      guards.leave(call.operation, true, thrown);
      failure = toClientError(thrown, call);
      failure.attempts = 1;
    }
    return await execute(call, 2, failure);
  }

  /**
   * The response of a whole call: the usual first attempt sent straight from here (undici's promise
   * and one `then`, no async function of the client's around it), the rest through {@link execute}.
   */
  function respond(call: PreparedCall): Promise<Dispatcher.ResponseData> {
    const sent = sendFirst(call);
    if (sent === undefined) return execute(call, 1);
    return sent.then(
      (first) => (firstAnswered(call, first) ? first : afterFirst(call, first, undefined)),
      (error: unknown) => afterFirst(call, undefined, error),
    );
  }

  /**
   * Runs the attempts of one call from `first` on (after `failed`, the failure of the attempt
   * before it, when there was one); resolves with the successful response, or raises the last failure.
   */
  async function execute(
    call: PreparedCall,
    first: number,
    failed?: ClientError,
  ): Promise<Dispatcher.ResponseData> {
    let failure = failed;
    for (let attempt = first; ; attempt++) {
      if (failure !== undefined) await retryOrThrow(call, attempt - 1, failure);
      call.attempts = attempt;
      try {
        const entered = call.enteredHeaders;
        call.enteredHeaders = undefined;
        if (entered === undefined && !guards.tryEnter(call.operation)) {
          return await guards.run(call.operation, () => attemptOnce(call, attempt), call.signal);
        }
        // A closed breaker and a free slot: the attempt runs outside the guards' own promise layers.
        let response: Dispatcher.ResponseData;
        try {
          response = await attemptOnce(call, attempt, entered);
        } catch (error) {
          guards.leave(call.operation, true, error);
          throw error;
        }
        guards.leave(call.operation, false);
        return response;
      } catch (error) {
        failure = toClientError(error, call);
        failure.attempts = attempt;
      }
    }
  }

  /** After attempt `attempt` failed: raises `failure` when no retry may follow, or waits out the backoff. */
  async function retryOrThrow(call: PreparedCall, attempt: number, failure: ClientError): Promise<void> {
    if (!call.retryable || !failure.retryable || attempt >= maxAttempts) throw failure;
    const retryAfter = failure.upstream?.retryAfterMs;
    if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) throw failure;
    const delay = retryAfter ?? fullJitterDelay(attempt, baseDelayMs, maxDelayMs, random);
    // Never past the deadline: a retry that cannot finish in time only adds load.
    if (Date.now() + delay >= call.deadline) throw failure;
    if (budget && !budget.tryRetry()) {
      metrics?.budgetRefusals.inc({ target: service });
      throw new ClientError(
        'ERR_RETRY_BUDGET_EXHAUSTED',
        `${service}: retry budget spent; not retrying after: ${failure.message}`,
        { cause: failure, upstream: failure.upstream, attempts: attempt, extensions: failure.extensions },
      );
    }
    const reason = failure.upstream ? String(failure.upstream.status) : failure.code;
    metrics?.retries.inc({ target: service, reason });
    if (retryChannel.hasSubscribers) retryChannel.publish({ service, attempt, delayMs: delay, reason });
    if (delay > 0) {
      try {
        await sleepUnlessAborted(delay, call.signal);
      } catch (error) {
        const mapped = toClientError(error, call);
        mapped.attempts = attempt;
        throw mapped;
      }
    }
  }

  function finish(operation: string, started: number, outcome: string, attempts: number): void {
    if (metrics) {
      const seconds = (performance.now() - started) / 1000;
      if (outcome === 'ok') recordOk(metrics, operation, seconds);
      else {
        const labels = [service, operation, outcome];
        metrics.requests.add(labels);
        metrics.duration.observe(labels, seconds);
      }
    }
    if (requestEndChannel.hasSubscribers) {
      requestEndChannel.publish({
        service,
        operation,
        outcome,
        attempts,
        durationMs: performance.now() - started,
      });
    }
  }

  /** The operation name of a call that may not have been prepared. */
  function operationOf(call: CallOptions): string {
    return call.operation ?? (call.method ?? 'GET').toUpperCase();
  }

  /** Prepares a call and arms its deadline timer, which `prepared.signal.dispose()` stops. */
  function begin(call: CallOptions, now: number): PreparedCall {
    const signal = new CallSignal();
    let prepared: PreparedCall;
    try {
      prepared = prepare(call, signal, now);
    } catch (error) {
      signal.dispose();
      throw error;
    }
    const remaining = prepared.deadline - now;
    if (remaining <= 0) {
      signal.dispose();
      throw new ClientError('ERR_UPSTREAM_TIMEOUT', `${service}: the deadline had passed before the call`, {
        extensions: { upstream: { service }, reason: 'deadline' },
      });
    }
    signal.startDeadline(remaining);
    return prepared;
  }

  /** Parses and checks a JSON answer read as text; raises the client's errors for a bad body. */
  function parseJson<T>(raw: string | undefined, call: JsonCallOptions<T>): T {
    if (raw === undefined) {
      throw new ClientError('ERR_UPSTREAM_RESPONSE_INVALID', `${service}: response body too large`, {
        extensions: { upstream: { service } },
      });
    }
    let value: T;
    try {
      value = (raw.length === 0 ? undefined : JSON.parse(raw)) as T;
    } catch (error) {
      throw new ClientError('ERR_UPSTREAM_RESPONSE_INVALID', `${service}: response is not valid JSON`, {
        cause: error,
        extensions: { upstream: { service } },
      });
    }
    if (call.validate && !call.validate(value)) {
      throw new ClientError(
        'ERR_UPSTREAM_RESPONSE_INVALID',
        `${service}${call.operation ? `.${call.operation}` : ''}: response does not match its schema`,
        { extensions: { upstream: { service } } },
      );
    }
    return value;
  }

  return {
    service,
    baseUrl,
    retryBudget: budget,
    async request(call) {
      const started = performance.now();
      let prepared: PreparedCall | undefined;
      let response: Dispatcher.ResponseData;
      try {
        const now = Date.now();
        prepared = begin(call, now);
        budget?.recordRequest(now);
        response = await respond(prepared);
      } catch (error) {
        prepared?.signal.dispose();
        finish(
          prepared?.operation ?? operationOf(call),
          started,
          error instanceof ClientError ? error.code : 'error',
          (error as ClientError).attempts ?? 0,
        );
        throw error;
      }
      finish(prepared.operation, started, 'ok', prepared.attempts);
      // The deadline keeps guarding the body until the caller is done with it.
      const signal = prepared.signal;
      response.body.once('close', () => signal.dispose());
      return {
        status: response.statusCode,
        headers: response.headers,
        body: response.body,
        attempts: prepared.attempts,
      };
    },
    async json<T>(call: JsonCallOptions<T>): Promise<T> {
      const started = performance.now();
      let prepared: PreparedCall | undefined;
      try {
        const now = Date.now();
        prepared = begin(call, now);
        budget?.recordRequest(now);
        const response = await respond(prepared);
        let raw: string | undefined;
        try {
          raw = await readText(response, call.maxResponseBytes ?? DEFAULT_JSON_LIMIT);
        } catch (error) {
          throw toClientError(error, prepared);
        }
        const value = parseJson(raw, call);
        prepared.signal.dispose();
        finish(prepared.operation, started, 'ok', prepared.attempts);
        return value;
      } catch (error) {
        prepared?.signal.dispose();
        const operation = prepared?.operation ?? operationOf(call);
        const attempts = (error as ClientError).attempts ?? prepared?.attempts ?? 0;
        const policy = call.failure;
        if (policy?.kind === 'fallback' && isOutage(error)) {
          metrics?.fallbacks.inc({ target: service, operation });
          finish(operation, started, 'fallback', attempts);
          return fallbackValue(policy);
        }
        finish(operation, started, error instanceof ClientError ? error.code : 'error', attempts);
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
