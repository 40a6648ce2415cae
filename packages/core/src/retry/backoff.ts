/** Options of {@link exponentialBackoff}. */
export interface BackoffOptions {
  /** The first retry's delay ceiling, in milliseconds. */
  initialMs: number;
  /** The largest delay ceiling; default no cap. */
  maxMs?: number;
  /**
   * Share of each delay that is random: 1 (the default) is full jitter, a delay drawn uniformly
   * from [0, ceiling); 0.3 keeps 70 % fixed (seed 002's reconnects); 0 is no jitter at all.
   */
  jitter?: number;
  /** Source of randomness in [0, 1), for tests; default `Math.random`. */
  random?: () => number;
}

/**
 * The delay before retry number `retry` (1 for the first retry): the ceiling
 * `min(maxMs, initialMs * 2^(retry-1))`, of which the `jitter` share is drawn at random, rounded down
 * to whole milliseconds. Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter")
 * spreads a crowd of clients that failed together so they do not retry together.
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(
    options.maxMs ?? Number.POSITIVE_INFINITY,
    options.initialMs * 2 ** Math.max(0, retry - 1),
  );
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 1));
  if (jitter === 0) return Math.floor(ceiling);
  const random = options.random ?? Math.random;
  return Math.floor(ceiling * (1 - jitter) + ceiling * jitter * random());
}

/** {@link backoffDelay} with its options bound: `retry => delay in ms`. */
export function exponentialBackoff(options: BackoffOptions): (retry: number) => number {
  return (retry) => backoffDelay(retry, options);
}
