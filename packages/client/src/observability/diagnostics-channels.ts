import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * `diagnostics_channel` names the client publishes on. Channels are process-wide by name (as
 * undici's are); publishing checks `hasSubscribers` first, so the hot path pays nothing when nobody
 * listens.
 */
export const CLIENT_CHANNELS = {
  /** `{ service, method, url, attempt, headers }` before an attempt is sent (after signing). */
  attemptStart: 'interlink:client:attempt:start',
  /** `{ service, attempt, status?, error? }` when an attempt has its response headers or failed. */
  attemptEnd: 'interlink:client:attempt:end',
  /** `{ service, attempt, delayMs, reason }` before a retry's backoff. */
  retry: 'interlink:client:retry',
  /** `{ service, operation, outcome, attempts, durationMs }` when a logical call settles. */
  requestEnd: 'interlink:client:request:end',
} as const;

export const attemptStartChannel = diagnosticsChannel.channel(CLIENT_CHANNELS.attemptStart);
export const attemptEndChannel = diagnosticsChannel.channel(CLIENT_CHANNELS.attemptEnd);
export const retryChannel = diagnosticsChannel.channel(CLIENT_CHANNELS.retry);
export const requestEndChannel = diagnosticsChannel.channel(CLIENT_CHANNELS.requestEnd);
