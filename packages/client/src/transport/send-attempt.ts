import type { Dispatcher } from 'undici';
import type { Clock } from '../client/clock.js';
import type { PreparedCall } from '../client/prepared-call.js';
import type { ClientError } from '../errors/client-error.js';
import { statusError } from '../errors/status-error.js';
import { toClientError } from '../errors/to-client-error.js';
import type { AfterFailure } from '../retry/retries.js';

export interface AttemptTimeouts {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/** What the end of an attempt needs of an answer: its status. */
export interface AttemptAnswer {
  readonly statusCode: number;
}

/** What has to happen synchronously when an attempt ends: `response` for a 2xx, `error` otherwise. */
export type AttemptEnd = (
  call: PreparedCall,
  response: AttemptAnswer | undefined,
  error: ClientError | undefined,
) => void;

/**
 * Sends one attempt; a failure goes to `afterFailure` when given (the retries), else rejects.
 * `R` is what a successful attempt resolves with: a streamed or a buffered response.
 */
export type SendAttempt<R> = (call: PreparedCall, afterFailure: AfterFailure<R> | undefined) => Promise<R>;

/**
 * Ends a failed attempt, in its transport's callback: `end` counts it, then the failure goes to
 * `afterFailure` (the retries) when given, else rejects the attempt's promise.
 */
export function settleFailure<R>(
  end: AttemptEnd,
  call: PreparedCall,
  error: ClientError,
  afterFailure: AfterFailure<R> | undefined,
  resolve: (value: Promise<R>) => void,
  reject: (error: unknown) => void,
): void {
  end(call, undefined, error);
  if (afterFailure === undefined) reject(error);
  else resolve(afterFailure(call, error));
}

/**
 * A call cancelled before this attempt (its caller gone between attempts) is not sent: ends the
 * attempt as failed, as {@link settleFailure} does, and returns true; false when it may be sent.
 */
export function settledBeforeSending<R>(
  end: AttemptEnd,
  call: PreparedCall,
  service: string,
  afterFailure: AfterFailure<R> | undefined,
  resolve: (value: Promise<R>) => void,
  reject: (error: unknown) => void,
): boolean {
  const cancellation = call.cancellation;
  if (!cancellation.aborted) return false;
  const failure = toClientError(cancellation.reason, service, cancellation.kind);
  settleFailure(end, call, failure, afterFailure, resolve, reject);
  return true;
}

/** What one attempt of `call` asks undici for, whichever way its answer is read. */
export function attemptDispatchOptions(
  call: PreparedCall,
  defaults: AttemptTimeouts,
): Dispatcher.DispatchOptions {
  return {
    method: call.method as Dispatcher.HttpMethod,
    path: call.path,
    headers: call.headers,
    body: call.body as Dispatcher.DispatchOptions['body'],
    headersTimeout: call.options.headersTimeoutMs ?? defaults.headersTimeoutMs,
    bodyTimeout: call.options.bodyTimeoutMs ?? defaults.bodyTimeoutMs,
  };
}

/**
 * The innermost step of a streamed call (`request()`): one attempt on the target's pool, with the
 * headers the stages made, and its outcome in the client's terms: a 2xx resolves; any other answer is read and raised as
 * `ERR_UPSTREAM_STATUS`; what undici reports becomes a ClientError with a stable code. undici's
 * callback form lets this happen in the one promise of the attempt: `end` (the attempt's metrics,
 * its bulkhead slot and breaker count) runs in the callback, and a failure is handed to
 * `afterFailure` from there, so a call that succeeds at once is this promise and nothing more.
 */
export function sendAttempt(
  pool: Dispatcher,
  defaults: AttemptTimeouts,
  service: string,
  clock: Clock,
  end: AttemptEnd,
): SendAttempt<Dispatcher.ResponseData> {
  return (call, afterFailure) =>
    new Promise((resolve, reject) => {
      // undici reads `aborted` only from an AbortSignal: the call's cancellation is checked here.
      if (settledBeforeSending(end, call, service, afterFailure, resolve, reject)) return;
      const cancellation = call.cancellation;
      pool.request(
        { ...attemptDispatchOptions(call, defaults), signal: cancellation.emitter },
        (error, response) => {
          if (error) {
            settleFailure(
              end,
              call,
              toClientError(error, service, cancellation.kind),
              afterFailure,
              resolve,
              reject,
            );
          } else if (response.statusCode >= 200 && response.statusCode < 300) {
            end(call, response, undefined);
            resolve(response);
          } else {
            const answered = (failure: unknown) =>
              settleFailure(
                end,
                call,
                toClientError(failure, service, cancellation.kind),
                afterFailure,
                resolve,
                reject,
              );
            statusError(service, response, clock.now()).then(answered, answered);
          }
        },
      );
    });
}
