import { isInterlinkError } from '@interlink/core';

// A message that fails for one of these reasons fails the same way on every redelivery.
const PERMANENT_CODES = new Set([
  'ERR_BUS_EVENT_INVALID',
  'ERR_BUS_MALFORMED_MESSAGE',
  'ERR_BUS_UNKNOWN_EVENT_TYPE',
  'ERR_BUS_UNKNOWN_SCHEMA_VERSION',
  'ERR_BUS_UPCAST_FAILED',
]);

const PERMANENT = Symbol.for('interlink.bus.permanent');

/** Marks an error so the transport dead-letters the message at once instead of redelivering it. */
export function permanentFailure(error: Error): Error {
  Object.defineProperty(error, PERMANENT, { value: true });
  return error;
}

/** True for errors that no redelivery can fix: invalid or unreadable events, or marked ones. */
export function isPermanentFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[PERMANENT] === true) return true;
  return isInterlinkError(error) && PERMANENT_CODES.has(error.code);
}

/** The reason recorded with a dead letter: the error's code and message, bounded. */
export function failureReason(error: unknown): { reason: string; code?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code =
    typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const reason = (code ? `${code}: ${message}` : message).slice(0, 1000);
  return code ? { reason, code } : { reason };
}
