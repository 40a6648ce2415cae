import { SignalFanout } from '../client/call-cancellation.js';
import type { Clock } from '../client/clock.js';
import { DeadlineTimers } from '../client/deadline-timers.js';
import type { PreparedCall } from '../client/prepared-call.js';
import { ClientError } from '../errors/client-error.js';
import { formatDeadline } from '../propagation/propagation-headers.js';

export interface CallDeadlineOptions {
  service: string;
  /** A call's time budget, retries included, when it sets none. */
  defaultTimeoutMs: number;
  clock: Clock;
}

/**
 * Sets a call's deadline, before its first attempt: the earliest of its `timeoutMs` (or the
 * client's default), its `deadline` and the request context's. Refuses a call whose deadline has
 * passed, arms a timer that aborts it there, and follows the caller's and the context's signals.
 * A synchronous step: the client drops the timer and links (`cancellation.dispose()`) when the
 * call fails, when `json()` has read the body, or when `request()`'s body closes, so the deadline
 * guards the body too without a promise step of its own.
 * @throws ClientError `ERR_UPSTREAM_TIMEOUT` when the deadline has passed already
 */
export function createCallDeadline(options: CallDeadlineOptions): (call: PreparedCall) => void {
  const { service, defaultTimeoutMs, clock } = options;
  const fanout = new SignalFanout();
  // One timer for the deadlines of the client's calls, instead of one per call.
  const timers = new DeadlineTimers();
  // Calls started in the same millisecond share their deadline: its header is formatted once.
  let lastDeadline = Number.NaN;
  let lastHeader: string | undefined;

  return (call) => {
    const now = clock.now();
    const deadline = Math.min(
      now + (call.options.timeoutMs ?? defaultTimeoutMs),
      call.options.deadline ?? Number.POSITIVE_INFINITY,
      call.context?.deadline ?? Number.POSITIVE_INFINITY,
    );
    if (deadline <= now) {
      throw new ClientError('ERR_UPSTREAM_TIMEOUT', `${service}: the deadline had passed before the call`, {
        extensions: { upstream: { service }, reason: 'deadline' },
      });
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
    cancellation.startDeadline(deadline - now, timers);
  };
}
