/** Limits retries to a fraction of recent traffic to one target. */
export interface RetryBudget {
  /** Records a first attempt (a logical request). */
  recordRequest(now?: number): void;
  /** Takes one retry from the budget; false when the budget is spent. */
  tryRetry(now?: number): boolean;
  /** Requests and retries counted in the current window. */
  snapshot(now?: number): { requests: number; retries: number };
}

export interface RetryBudgetOptions {
  /** Retries allowed as a fraction of requests in the window; 0.2 by default. */
  ratio?: number;
  /** Retries always allowed per window, so a target with little traffic can still retry; 10 by default. */
  minRetries?: number;
  /** The window; 10 s by default. */
  windowMs?: number;
  /** Buckets in the window; old buckets expire one at a time. 10 by default. */
  buckets?: number;
}

/**
 * A retry budget in the manner of Finagle's `RetryBudget` and Envoy's `retry_budget`: over a
 * sliding window, retries may be at most `ratio` of requests plus `minRetries`. During an outage
 * every request fails, so without a budget each one becomes `maxAttempts` attempts; with it the
 * extra load is bounded to about `ratio`. Written by hand because neither undici nor cockatiel has
 * one (see README).
 */
export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const ratio = options.ratio ?? 0.2;
  const minRetries = options.minRetries ?? 10;
  const windowMs = options.windowMs ?? 10_000;
  const count = Math.max(1, options.buckets ?? 10);
  const width = windowMs / count;
  const requests = new Float64Array(count);
  const retries = new Float64Array(count);
  let current = -1; // index of the newest bucket as an absolute bucket number
  let totalRequests = 0;
  let totalRetries = 0;

  function advance(now: number): void {
    const bucket = Math.floor(now / width);
    if (bucket === current) return;
    if (current < 0 || bucket - current >= count) {
      requests.fill(0);
      retries.fill(0);
      totalRequests = 0;
      totalRetries = 0;
    } else {
      for (let b = current + 1; b <= bucket; b++) {
        const i = b % count;
        totalRequests -= requests[i]!;
        totalRetries -= retries[i]!;
        requests[i] = 0;
        retries[i] = 0;
      }
    }
    current = Math.max(current, bucket);
  }

  return {
    recordRequest(now = Date.now()) {
      advance(now);
      requests[current % count]! += 1;
      totalRequests += 1;
    },
    tryRetry(now = Date.now()) {
      advance(now);
      if (totalRetries + 1 > totalRequests * ratio + minRetries) return false;
      retries[current % count]! += 1;
      totalRetries += 1;
      return true;
    },
    snapshot(now = Date.now()) {
      advance(now);
      return { requests: totalRequests, retries: totalRetries };
    },
  };
}
