import { currentContext, lowerCaseHeaders, type RequestContext } from '@interlink/core';
import { ClientError } from '../errors/client-error.js';
import type { Admission } from '../resilience/target-guards.js';
import { formatIdempotencyKey, IDEMPOTENCY_KEY_HEADER, newIdempotencyKey } from '../retry/idempotency-key.js';
import { isIdempotentMethod } from '../retry/retry-rules.js';
import { CallCancellation } from './call-cancellation.js';
import type { CallOptions, QueryValue } from './call-options.js';

/** One logical call as the client's steps see it: built once, then filled in by the steps it passes. */
export interface PreparedCall {
  readonly options: CallOptions;
  readonly method: string;
  readonly path: string;
  /** The full URL, as a string: parsing a URL per call costs more than the signer needs. */
  readonly url: string;
  readonly operation: string;
  /** The call's own headers, lower-cased, with content type and idempotency key; none when empty. */
  readonly baseHeaders: Record<string, string> | undefined;
  readonly body: string | Buffer | Uint8Array | NonNullable<CallOptions['body']> | undefined;
  /** The body bytes a signer digests; `undefined` for no body or a streamed one. */
  readonly signBody: Uint8Array | undefined;
  readonly streamed: boolean;
  /** An idempotent method or an idempotency key, and a body that can be sent again. */
  readonly retryable: boolean;
  readonly context: RequestContext | undefined;
  /** The trace of a call made outside any context, drawn on its first attempt. */
  traceId: string | undefined;
  readonly cancellation: CallCancellation;
  /** Absolute deadline (epoch ms), set by the call's deadline step. */
  deadline: number;
  /** The `x-interlink-deadline` value, set by the call's deadline step. */
  deadlineHeader: string | undefined;
  /** The current attempt, from 1; the retries count it. */
  attempt: number;
  /** The current attempt's headers, rebuilt by propagation and signed by the signer. */
  headers: Record<string, string>;
  /** The current attempt's bulkhead slot and breaker, when the guards admitted it without waiting. */
  admission: Admission | undefined;
}

/** The call's own headers as a fresh record the steps may write to: core's lower-casing, with fields that differed only in case combined as RFC 9110 §5.3 says. */
function ownHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(lowerCaseHeaders(headers))) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
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

/** The operation name of a call, prepared or not (for metrics of a call that failed to prepare). */
export function operationOf(call: CallOptions): string {
  return call.operation ?? (call.method ?? 'GET').toUpperCase();
}

/** Builds the parts of a call that every attempt shares: path, query, body, idempotency key. */
export function prepareCall(
  call: CallOptions,
  service: string,
  origin: string,
  basePath: string,
): PreparedCall {
  if (!call.path.startsWith('/') || call.path.startsWith('//')) {
    throw new ClientError(
      'ERR_CLIENT_REQUEST_INVALID',
      `${service}: a call path must start with a single "/"`,
    );
  }
  const method = call.method === undefined ? 'GET' : call.method.toUpperCase();
  const path = appendQuery(basePath + call.path, call.query);
  let baseHeaders = call.headers ? ownHeaders(call.headers) : undefined;
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
  return {
    options: call,
    method,
    path,
    url: origin + path,
    operation: call.operation ?? method,
    baseHeaders,
    body,
    signBody,
    streamed,
    retryable:
      !streamed && (isIdempotentMethod(method) || baseHeaders?.[IDEMPOTENCY_KEY_HEADER] !== undefined),
    context: currentContext(),
    traceId: undefined,
    cancellation: new CallCancellation(),
    deadline: Number.POSITIVE_INFINITY,
    deadlineHeader: undefined,
    attempt: 1,
    headers: {},
    admission: undefined,
  };
}
