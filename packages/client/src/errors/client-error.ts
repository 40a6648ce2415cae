import { errorClassFor, type InterlinkErrorOptions, type ProblemDetails } from '@interlink/core';
import { type ClientErrorCode, clientErrorCodes } from './client-error-codes.js';

/** What an upstream answered, kept for code that must inspect it. */
export interface UpstreamAnswer {
  /** The target's name as configured on the client. */
  service: string;
  status: number;
  /** The upstream's problem document, when it sent one. May hold the upstream's internals. */
  problem?: ProblemDetails;
  /** `Retry-After`, converted to milliseconds from now. */
  retryAfterMs?: number;
}

export interface ClientErrorOptions extends InterlinkErrorOptions {
  upstream?: UpstreamAnswer;
  /** Whether the same call may succeed later; defaults to the code's entry in the table. */
  retryable?: boolean;
  /** How many attempts were made before this error was raised. */
  attempts?: number;
}

const ClientErrorBase = errorClassFor('ClientError', clientErrorCodes);

/**
 * An outbound call failed. `code` is what callers switch on. The upstream's answer is on
 * `upstream` for the calling code, while `extensions` (which the service kit puts in the caller's
 * own problem response) only ever carries the upstream's service name, status and code, so the
 * upstream's details and internals never travel further.
 */
export class ClientError extends ClientErrorBase {
  readonly upstream: UpstreamAnswer | undefined;
  attempts: number;

  constructor(code: ClientErrorCode, message: string, options: ClientErrorOptions = {}) {
    const { upstream, retryable, attempts, ...base } = options;
    super(code, message, retryable === undefined ? base : { ...base, retryable });
    this.upstream = upstream;
    this.attempts = attempts ?? 0;
  }
}

/** True for a {@link ClientError}, optionally with one of `codes`. */
export function isClientError(error: unknown, ...codes: ClientErrorCode[]): error is ClientError {
  return error instanceof ClientError && (codes.length === 0 || codes.includes(error.code));
}
