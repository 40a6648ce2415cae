import type { AttemptObserver } from '../observability/attempt-observer.js';
import { MUST_WAIT, type TargetGuards } from '../resilience/target-guards.js';
import type { AfterFailure } from '../retry/retries.js';
import type { AttemptEnd, SendAttempt } from '../transport/send-attempt.js';
import type { PreparedCall } from './prepared-call.js';

/** One attempt of a call: a failure goes to `afterFailure` when given (the retries), else rejects. */
export type Attempt<R> = (call: PreparedCall, afterFailure: AfterFailure<R> | undefined) => Promise<R>;

export interface AttemptParts<R> {
  /** The target's breaker and bulkhead; none when both are off. */
  guards: TargetGuards | undefined;
  /** Synchronous steps that write the attempt's headers (propagation), in order. */
  decorate: (call: PreparedCall) => void;
  /** Signs the attempt; a promise only for an asynchronous signer. None without a signer. */
  sign: ((call: PreparedCall) => Promise<void> | undefined) | undefined;
  observer: AttemptObserver;
  /** The transport step, made with {@link attemptEnd}. */
  send: SendAttempt<R>;
}

/**
 * What ends an attempt synchronously, in the transport's callback, innermost first as the
 * behaviours nest: the observer counts it, then the guards free its slot and count it for the
 * breaker. Made once per client.
 */
export function attemptEnd(observer: AttemptObserver): AttemptEnd {
  return (call, response, error) => {
    observer.end(call, response, error);
    endAdmission(call, error);
  };
}

function endAdmission(call: PreparedCall, error: unknown): void {
  const admission = call.admission;
  if (admission !== undefined) {
    call.admission = undefined;
    admission.end(error);
  }
}

function failedBeforeSending<R>(
  call: PreparedCall,
  error: unknown,
  afterFailure: AfterFailure<R> | undefined,
): Promise<R> {
  endAdmission(call, error);
  return afterFailure === undefined ? Promise.reject(error) : afterFailure(call, error);
}

/**
 * Composes the behaviours of one attempt once, when the client is made: the guards admit it
 * (bulkhead slot, closed breaker), propagation writes its headers, the signer signs them, the
 * observer publishes its start, and the transport sends it. Every step before the transport is
 * synchronous and every step after runs inside its callback (see {@link attemptEnd}), so an
 * attempt is one promise, however many behaviours it has: the layers of the first build each added
 * a `then` per attempt. Only what has to wait takes a promise path of its own: a queued bulkhead or
 * a breaker that is not closed (the guards' `run`), and an asynchronous signer.
 */
export function composeAttempt<R>(parts: AttemptParts<R>): Attempt<R> {
  const { guards, decorate, sign, observer, send } = parts;

  function signedAndSent(call: PreparedCall, afterFailure: AfterFailure<R> | undefined): Promise<R> {
    let pending: Promise<void> | undefined;
    try {
      decorate(call);
      if (sign !== undefined) pending = sign(call);
    } catch (error) {
      // Nothing was sent: a slot taken is given back, the breaker does not count a local failure.
      return failedBeforeSending(call, error, afterFailure);
    }
    if (pending !== undefined) {
      return pending.then(
        () => {
          observer.start(call);
          return send(call, afterFailure);
        },
        (error: unknown) => failedBeforeSending(call, error, afterFailure),
      );
    }
    observer.start(call);
    return send(call, afterFailure);
  }

  /** An attempt the guards make wait: through their `run`, which ends it itself; retried after. */
  function waited(call: PreparedCall, afterFailure: AfterFailure<R> | undefined): Promise<R> {
    const attempt = guards!.run(call.operation, unretried, call, signalOf);
    return afterFailure === undefined
      ? attempt
      : attempt.catch((error: unknown) => afterFailure(call, error));
  }

  function unretried(call: PreparedCall): Promise<R> {
    return signedAndSent(call, undefined);
  }

  return (call, afterFailure) => {
    call.admission = undefined;
    if (guards !== undefined) {
      let admitted: ReturnType<TargetGuards['admit']>;
      try {
        admitted = guards.admit(call.operation);
      } catch (error) {
        return afterFailure === undefined ? Promise.reject(error) : afterFailure(call, error);
      }
      if (admitted === MUST_WAIT) return waited(call, afterFailure);
      call.admission = admitted;
    }
    return signedAndSent(call, afterFailure);
  };
}

/** The call's AbortSignal, for an attempt that waits for a slot. */
function signalOf(call: PreparedCall): AbortSignal {
  return call.cancellation.signal;
}
