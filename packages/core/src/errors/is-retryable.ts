/**
 * Whether trying again may succeed after `error`: the error's own `retryable` when it says
 * (`InterlinkError`s always do; a plain error may carry `retryable: false` too), else `true`, since
 * an unknown failure (a dropped connection, a timeout) is usually transient. Bus redeliveries, job
 * retries and the client's retries all ask this one question.
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  const retryable = (error as { retryable?: unknown }).retryable;
  return typeof retryable === 'boolean' ? retryable : true;
}

/**
 * Marks `error` as one no retry can fix (sets `retryable` to `false`) and returns it, for errors
 * created elsewhere: `throw notRetryable(new Error('unknown customer'))`.
 */
export function notRetryable<E extends object>(error: E): E {
  Object.defineProperty(error, 'retryable', { value: false, enumerable: true, configurable: true });
  return error;
}
