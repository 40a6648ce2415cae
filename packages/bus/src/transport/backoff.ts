/** Options of {@link exponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** Delay after the first failure; default 1000 ms. */
  initialMs?: number;
  /** Upper bound; default 30 000 ms. */
  maxMs?: number;
  /** Fraction of the delay randomized (0 none, 1 full jitter); default 0.3 as in seed 002. */
  jitter?: number;
  random?: () => number;
}

/**
 * `initialMs * 2^(attempt-1)` capped at `maxMs`, with jitter so that consumers that failed together
 * do not retry together. Seed 002 reconnects from 1 s to 30 s with jitter; the same curve serves
 * redeliveries.
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): (attempt: number) => number {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 30_000;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.3));
  const random = options.random ?? Math.random;
  return (attempt) => {
    const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
    return Math.round(base * (1 - jitter) + base * jitter * random());
  };
}
