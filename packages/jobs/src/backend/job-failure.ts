import { isRetryable } from '@interlink/core';
import { JobDeferral } from './job-backend.js';

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_') ? code : undefined;
}

/**
 * The failure reason stored on a job: `CODE: message` for coded errors, so the code survives the
 * trip through Redis (BullMQ stores only a message) and an operator can filter on it.
 */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  return code && !message.startsWith(`${code}:`) ? `${code}: ${message}` : message;
}

/** The `ERR_*` code at the start of a stored failure reason. */
export function failureCode(reason: string | undefined): string | undefined {
  return reason ? /^(ERR_[A-Z0-9_]+):/.exec(reason)?.[1] : undefined;
}

/**
 * What a handler's error does to its job, the same on every backend: a {@link JobDeferral} runs it
 * again at `until` without using an attempt; anything else fails the attempt with its
 * {@link failureReason}, to be retried unless core's `isRetryable` says no retry can help.
 */
export type HandlerFailure =
  | { deferUntil: number }
  | { deferUntil?: undefined; reason: string; retryable: boolean };

export function handlerFailure(error: unknown): HandlerFailure {
  if (error instanceof JobDeferral) return { deferUntil: error.until };
  return { reason: failureReason(error), retryable: isRetryable(error) };
}
