import type { Layer } from '../client/layer.js';
import type { PreparedCall } from '../client/prepared-call.js';
import type { TargetGuards } from './target-guards.js';

/**
 * Runs each attempt through the target's bulkhead and circuit breaker: refused with
 * `ERR_BULKHEAD_FULL` or `ERR_CIRCUIT_OPEN` without being sent, and counted by the breaker when it
 * ran. Inside the retry layer, so a breaker that opens mid-call stops its retries.
 */
export function guardLayer(guards: TargetGuards): Layer {
  return (next) => (call) => guards.run(call.operation, next, call, signalOf);
}

/** The call's AbortSignal, for an attempt that waits for a slot. */
function signalOf(call: PreparedCall): AbortSignal {
  return call.cancellation.signal;
}
