import type { Dispatcher } from 'undici';
import type { Send } from '../client/layer.js';

export interface AttemptTimeouts {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/** The innermost step: one attempt on the target's pool, with the headers the layers made. */
export function sendAttempt(pool: Dispatcher, defaults: AttemptTimeouts): Send {
  return (call) => {
    const cancellation = call.cancellation;
    // undici reads `aborted` only from an AbortSignal: a call cancelled before this attempt (its
    // caller gone between attempts) is not sent.
    if (cancellation.aborted) return Promise.reject(cancellation.reason);
    return pool.request({
      method: call.method as Dispatcher.HttpMethod,
      path: call.path,
      headers: call.headers,
      body: call.body as Dispatcher.DispatchOptions['body'],
      signal: cancellation.emitter,
      headersTimeout: call.options.headersTimeoutMs ?? defaults.headersTimeoutMs,
      bodyTimeout: call.options.bodyTimeoutMs ?? defaults.bodyTimeoutMs,
    });
  };
}
