import { SignalFanout } from '../client/call-cancellation.js';
import type { Clock } from '../client/clock.js';
import type { Layer } from '../client/layer.js';
import { ClientError } from '../errors/client-error.js';
import { formatDeadline } from '../propagation/propagation-headers.js';

export interface DeadlineLayerOptions {
  service: string;
  /** A call's time budget, retries included, when it sets none. */
  defaultTimeoutMs: number;
  clock: Clock;
}

/**
 * The call's deadline: the earliest of its `timeoutMs` (or the client's default), its `deadline`
 * and the request context's. Refuses a call whose deadline has passed, arms a timer that aborts it
 * there, and follows the caller's and the context's signals. The timer and links are dropped when
 * the call fails, or when a successful response's body closes: the deadline guards the body too.
 */
export function deadlineLayer(options: DeadlineLayerOptions): Layer {
  const { service, defaultTimeoutMs, clock } = options;
  const fanout = new SignalFanout();
  // Calls started in the same millisecond share their deadline: its header is formatted once.
  let lastDeadline = Number.NaN;
  let lastHeader: string | undefined;

  return (next) => (call) => {
    const now = clock.now();
    const deadline = Math.min(
      now + (call.options.timeoutMs ?? defaultTimeoutMs),
      call.options.deadline ?? Number.POSITIVE_INFINITY,
      call.context?.deadline ?? Number.POSITIVE_INFINITY,
    );
    if (deadline <= now) {
      return Promise.reject(
        new ClientError('ERR_UPSTREAM_TIMEOUT', `${service}: the deadline had passed before the call`, {
          extensions: { upstream: { service }, reason: 'deadline' },
        }),
      );
    }
    if (deadline !== lastDeadline) {
      lastDeadline = deadline;
      lastHeader = formatDeadline(deadline);
    }
    call.deadline = deadline;
    call.deadlineHeader = lastHeader;
    const cancellation = call.cancellation;
    if (call.options.signal) cancellation.follow(call.options.signal, 'caller', fanout);
    // The context's signal fires at the caller's deadline (already ours) or when the caller goes away.
    if (call.context?.signal) cancellation.follow(call.context.signal, 'deadline', fanout);
    cancellation.startDeadline(deadline - now);
    return next(call).then(
      (response) => {
        response.body.once('close', () => cancellation.dispose());
        return response;
      },
      (error: unknown) => {
        cancellation.dispose();
        throw error;
      },
    );
  };
}
