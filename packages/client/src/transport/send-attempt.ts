import type { Dispatcher } from 'undici';
import type { Send } from '../client/layer.js';

export interface AttemptTimeouts {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/** The innermost step: one attempt on the target's pool, with the headers the layers made. */
export function sendAttempt(pool: Dispatcher, defaults: AttemptTimeouts): Send {
  return (call) =>
    pool.request({
      method: call.method as Dispatcher.HttpMethod,
      path: call.path,
      headers: call.headers,
      body: call.body as Dispatcher.DispatchOptions['body'],
      signal: call.cancellation.signal,
      headersTimeout: call.options.headersTimeoutMs ?? defaults.headersTimeoutMs,
      bodyTimeout: call.options.bodyTimeoutMs ?? defaults.bodyTimeoutMs,
    });
}
