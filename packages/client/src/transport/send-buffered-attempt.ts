import { AsyncResource } from 'node:async_hooks';
import { type Dispatcher, errors } from 'undici';
import type { CancellableAttempt } from '../client/call-cancellation.js';
import type { JsonCallOptions } from '../client/call-options.js';
import type { Clock } from '../client/clock.js';
import type { PreparedCall } from '../client/prepared-call.js';
import { ERROR_BODY_LIMIT, statusErrorOf } from '../errors/status-error.js';
import { toClientError } from '../errors/to-client-error.js';
import type { AfterFailure } from '../retry/retries.js';
import {
  type AttemptEnd,
  type AttemptTimeouts,
  attemptDispatchOptions,
  type SendAttempt,
  settledBeforeSending,
  settleFailure,
} from './send-attempt.js';

/** A 2xx answer read whole, as `json()` wants it. */
export interface BufferedResponse {
  statusCode: number;
  headers: Dispatcher.ResponseData['headers'];
  /** The whole body; `undefined` when it was longer than the call's limit (the rest was not read). */
  body: Buffer | undefined;
  /**
   * Why the body could not be read to its end (the connection cut, the body timeout, the call's
   * deadline or its caller), or `undefined`. The attempt itself succeeded at its headers, as a
   * streamed one does; this failure is the reading's, which no retry repeats.
   */
  bodyError: Error | undefined;
}

/** The largest 2xx body `json()` reads when the call sets no `maxResponseBytes`. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/** What every buffered attempt of a client shares. */
interface BufferedStep {
  readonly service: string;
  readonly clock: Clock;
  readonly end: AttemptEnd;
}

/**
 * The undici handler of one buffered attempt, on undici's documented `Dispatcher.dispatch` handler
 * API: it collects the body's chunks up to the limit and settles the attempt's promise itself, so
 * no response stream, no abort signal and no stream reader are made. The call's cancellation
 * reaches it through {@link cancel} and aborts through undici's controller. An AsyncResource,
 * as undici's own request handler is: undici calls a handler from its socket's callbacks, and
 * what the attempt's end runs (metrics, diagnostics subscribers, the retries) must see the
 * caller's async context, not that of whichever call opened the socket.
 */
class BufferingHandler extends AsyncResource implements Dispatcher.DispatchHandler, CancellableAttempt {
  /** The answer's status once its headers came (what the attempt's end reads); 0 before. */
  statusCode = 0;
  private controller: Dispatcher.DispatchController | undefined = undefined;
  private headers: Dispatcher.ResponseData['headers'] = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private limit = 0;
  private settled = false;

  constructor(
    private readonly step: BufferedStep,
    private readonly call: PreparedCall,
    private readonly afterFailure: AfterFailure<BufferedResponse> | undefined,
    private readonly resolve: (value: BufferedResponse | Promise<BufferedResponse>) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    super('INTERLINK_CLIENT_ATTEMPT');
  }

  /** The call was cancelled: abort now if undici has started the request, else when it does. */
  cancel(): void {
    this.controller?.abort(new errors.RequestAbortedError());
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Cancelled while queued for a socket: undici's own request handler aborts at this point too.
    if (this.call.cancellation.aborted) controller.abort(new errors.RequestAbortedError());
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Dispatcher.ResponseData['headers'],
  ): void {
    if (statusCode < 200 || this.settled) return; // 1xx: informational, the answer is still to come
    this.statusCode = statusCode;
    this.headers = headers;
    const ok = statusCode < 300;
    if (ok) {
      // As for a streamed answer, the attempt ends at its headers: counted, its slot freed, the
      // breaker told; reading the body is the call's business, guarded by the deadline.
      this.runInAsyncScope(this.step.end, null, this.call, this, undefined);
      this.limit = (this.call.options as JsonCallOptions).maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    } else {
      this.limit = ERROR_BODY_LIMIT;
    }
    const declared = Number(headers['content-length']);
    if (declared > this.limit) this.tooLarge(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.limit) {
      this.tooLarge(controller);
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const chunks = this.chunks;
    const body =
      chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size);
    this.answered(body, undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.settled) return;
    if (this.statusCode === 0) {
      // No answer: the attempt failed (refused, reset, timed out, aborted by the call's cancellation).
      this.settle();
      const cancellation = this.call.cancellation;
      const failure = toClientError(error, this.step.service, cancellation.kind);
      this.runInAsyncScope(
        settleFailure,
        null,
        this.step.end,
        this.call,
        failure,
        this.afterFailure,
        this.resolve,
        this.reject,
      );
      return;
    }
    this.answered(undefined, error);
  }

  /** Past the limit: settles without the body and stops undici reading the rest. */
  private tooLarge(controller: Dispatcher.DispatchController): void {
    this.answered(undefined, undefined);
    controller.abort(new errors.ResponseExceededMaxSizeError());
  }

  /**
   * The answer is read (`body`), too large (neither) or cut off (`bodyError`): a 2xx resolves
   * the attempt; any other status ends it as `ERR_UPSTREAM_STATUS`, whatever became of its body.
   */
  private answered(body: Buffer | undefined, bodyError: Error | undefined): void {
    this.settle();
    const { statusCode, headers } = this;
    if (statusCode < 300) {
      this.resolve({ statusCode, headers, body, bodyError });
      return;
    }
    const { service, clock, end } = this.step;
    const failure = statusErrorOf(service, statusCode, headers, bodyError ? undefined : body, clock.now());
    this.runInAsyncScope(
      settleFailure,
      null,
      end,
      this.call,
      failure,
      this.afterFailure,
      this.resolve,
      this.reject,
    );
  }

  private settle(): void {
    this.settled = true;
    this.chunks = [];
    const cancellation = this.call.cancellation;
    if (cancellation.inFlight === this) cancellation.inFlight = undefined;
  }
}

/**
 * The innermost step of a buffered call (`json()`): one attempt on the target's pool through
 * `Dispatcher.dispatch` and a handler of our own that reads the answer whole, within the call's
 * `maxResponseBytes` for a 2xx and 64 KiB for the problem document of any other status. Outcomes
 * as the streamed step's: a 2xx resolves, another status ends the attempt as
 * `ERR_UPSTREAM_STATUS` (with the body it had), what undici reports becomes a ClientError with a
 * stable code, and the attempt's `end` and a failure's hand-over to `afterFailure` run in the
 * handler's callbacks. undici builds no response stream, and is handed no signal: the call's
 * cancellation aborts through the handler's controller.
 */
export function sendBufferedAttempt(
  pool: Dispatcher,
  defaults: AttemptTimeouts,
  service: string,
  clock: Clock,
  end: AttemptEnd,
): SendAttempt<BufferedResponse> {
  const step: BufferedStep = { service, clock, end };
  return (call, afterFailure) =>
    new Promise((resolve, reject) => {
      if (settledBeforeSending(end, call, service, afterFailure, resolve, reject)) return;
      const handler = new BufferingHandler(step, call, afterFailure, resolve, reject);
      call.cancellation.inFlight = handler;
      pool.dispatch(attemptDispatchOptions(call, defaults), handler);
    });
}
