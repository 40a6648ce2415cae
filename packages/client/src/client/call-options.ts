import type { Readable } from 'node:stream';
import type { FailurePolicy } from '../failure/failure-policy.js';

/** A query string value; arrays repeat the name. */
export type QueryValue = string | number | boolean | undefined | ReadonlyArray<string | number | boolean>;

/** One outbound call. */
export interface CallOptions {
  /** `GET` by default. */
  method?: string;
  /** The path under the client's base URL, starting with `/`; it may carry a query string. */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  headers?: Readonly<Record<string, string>>;
  /** A JSON body, serialized once and sent identically on every attempt. */
  json?: unknown;
  /** A raw body. A stream can be sent only once, so a call with a streamed body is never retried. */
  body?: string | Uint8Array | Readable | AsyncIterable<Uint8Array>;
  /**
   * The `Idempotency-Key` of this logical write: a string, or `true` to generate one. It is sent
   * unchanged on every attempt and makes a non-idempotent method retryable.
   */
  idempotencyKey?: string | true;
  /** A name for metrics, diagnostics and per-operation breakers (`getTicketStatus`). */
  operation?: string;
  /** This call's whole time budget, retries included; the client's default otherwise. The caller's deadline still wins when earlier. */
  timeoutMs?: number;
  /** An absolute deadline (epoch ms) for this call; the earliest of this, `timeoutMs` and the context's deadline applies. */
  deadline?: number;
  /** Per-attempt wait for response headers. */
  headersTimeoutMs?: number;
  /** Per-attempt longest pause between body chunks. */
  bodyTimeoutMs?: number;
  signal?: AbortSignal;
  /** Tenant and user to send when there is no request context (jobs, scripts). */
  tenantId?: string;
  userId?: string;
}

/** A call whose JSON answer is wanted, with what to do when the upstream fails. */
export interface JsonCallOptions<T = unknown> extends CallOptions {
  failure?: FailurePolicy<T>;
  /** Checks the parsed answer; when it returns false the call raises `ERR_UPSTREAM_RESPONSE_INVALID`. */
  validate?: (value: unknown) => boolean;
  /** Largest response body read, in bytes; 8 MiB by default. */
  maxResponseBytes?: number;
}
