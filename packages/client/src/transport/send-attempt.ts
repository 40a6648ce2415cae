import type { Dispatcher } from 'undici';
import type { Clock } from '../client/clock.js';
import type { Send } from '../client/layer.js';
import { statusError } from '../errors/status-error.js';
import { toClientError } from '../errors/to-client-error.js';

export interface AttemptTimeouts {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/**
 * The innermost step: one attempt on the target's pool, with the headers the layers made, and its
 * outcome in the client's terms: a 2xx resolves; any other answer is read and raised as
 * `ERR_UPSTREAM_STATUS`; what undici reports becomes a ClientError with a stable code. undici's
 * callback form lets this happen in the one promise of the attempt, with no step of its own.
 */
export function sendAttempt(
  pool: Dispatcher,
  defaults: AttemptTimeouts,
  service: string,
  clock: Clock,
): Send {
  return (call) =>
    new Promise((resolve, reject) => {
      const cancellation = call.cancellation;
      // undici reads `aborted` only from an AbortSignal: a call cancelled before this attempt (its
      // caller gone between attempts) is not sent.
      if (cancellation.aborted) {
        reject(toClientError(cancellation.reason, service, cancellation.kind));
        return;
      }
      pool.request(
        {
          method: call.method as Dispatcher.HttpMethod,
          path: call.path,
          headers: call.headers,
          body: call.body as Dispatcher.DispatchOptions['body'],
          signal: cancellation.emitter,
          headersTimeout: call.options.headersTimeoutMs ?? defaults.headersTimeoutMs,
          bodyTimeout: call.options.bodyTimeoutMs ?? defaults.bodyTimeoutMs,
        },
        (error, response) => {
          if (error) reject(toClientError(error, service, cancellation.kind));
          else if (response.statusCode >= 200 && response.statusCode < 300) resolve(response);
          else statusError(service, response, clock.now()).then(reject, reject);
        },
      );
    });
}
