/**
 * The shortest reconnection time a server's `retry:` can set, in ms: a `retry: 0` (a bug, or a
 * proxy's doing) must not make every client reconnect in a tight loop.
 */
export const RETRY_FLOOR_MS = 500;

/** The default cap on any wait, in ms: honours the gateway's default `retry: 30000` as sent. */
export const DEFAULT_MAX_DELAY_MS = 30_000;

/**
 * Jitter on top of each delay, as a fraction of it: clients that lost the same server at the same
 * moment spread their reconnects over 25% of the delay instead of all arriving at once.
 */
export const JITTER_RATIO = 0.25;

/**
 * The reconnection time a server's `retry:` value sets: raised to `RETRY_FLOOR_MS`. The cap is
 * `backoffDelay`'s, which also bounds the waits this time grows into after failures.
 */
export function retryReconnectionTime(retryMs: number): number {
  return Math.max(RETRY_FLOOR_MS, retryMs);
}

/**
 * The wait before reconnection attempt `attempt` (0 after a connection that opened): the
 * reconnection time doubled per failed attempt, capped at `maxMs`, plus up to `JITTER_RATIO` of it
 * on top. Below the cap, the wait is never shorter than the reconnection time the server asked
 * for; a cap below `RETRY_FLOOR_MS` wins over the floor, as the app's explicit choice.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(delay * (1 + JITTER_RATIO * random()));
}
