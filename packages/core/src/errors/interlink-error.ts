import { type CoreErrorCode, coreErrorCodes, type ErrorCodeTable } from './error-codes.js';

export interface InterlinkErrorOptions {
  /** HTTP status; defaults to the status the code's table gives, else 500. */
  status?: number;
  /** The problem's `title`; defaults to the code's title in core's table. */
  title?: string;
  /** Extra members of the problem response (safe, non-secret values only). */
  extensions?: Record<string, unknown>;
  /**
   * Whether trying the same thing again may succeed. Defaults to the code's `retryable` in its
   * table, else `true`: bus redeliveries and job retries treat an unmarked failure as transient.
   */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * The base of every Interlink error: a stable `code` callers switch on, an HTTP `status`, and a
 * message that is safe to show (no secrets, no internals). Each package extends it with its own
 * closed set of codes.
 */
export class InterlinkError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly status: number;
  readonly title: string;
  readonly extensions: Record<string, unknown> | undefined;
  /** Whether trying again may succeed; {@link isRetryable} reads it. */
  readonly retryable: boolean;

  constructor(code: Code, message: string, options: InterlinkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    const known = (coreErrorCodes as ErrorCodeTable)[code];
    this.status = options.status ?? known?.status ?? 500;
    this.title = options.title ?? known?.title ?? 'Error';
    this.extensions = options.extensions;
    this.retryable = options.retryable ?? known?.retryable ?? true;
  }
}

/** An error with one of core's own codes. */
export class CoreError extends InterlinkError<CoreErrorCode> {}

/**
 * Declares a package's error class over its code table, so status and title always come from the
 * table the docs are checked against.
 */
export function errorClassFor<Table extends ErrorCodeTable>(name: string, table: Table) {
  const cls = class extends InterlinkError<Extract<keyof Table, string>> {
    constructor(code: Extract<keyof Table, string>, message: string, options: InterlinkErrorOptions = {}) {
      const info = table[code];
      super(code, message, {
        ...options,
        status: options.status ?? info?.status,
        title: info?.title,
        retryable: options.retryable ?? info?.retryable,
      });
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

/** True for any Interlink error, across package copies (checked by shape, not by prototype). */
export function isInterlinkError(error: unknown): error is InterlinkError {
  return (
    error instanceof InterlinkError ||
    (error instanceof Error &&
      typeof (error as unknown as { code?: unknown }).code === 'string' &&
      (error as unknown as { code: string }).code.startsWith('ERR_') &&
      typeof (error as unknown as { status?: unknown }).status === 'number')
  );
}
