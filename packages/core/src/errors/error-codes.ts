/** What the docs' error table says of one code. */
export interface ErrorCodeInfo {
  /** HTTP status a problem response with this code carries. */
  status: number;
  /** Short, stable, human-readable summary (the problem's `title`). */
  title: string;
  /**
   * `false` for failures that come back the same on every attempt (an invalid payload, an unknown
   * type): errors with this code are not retried unless their thrower says otherwise.
   */
  retryable?: boolean;
}

/** A package's closed set of error codes. */
export type ErrorCodeTable = Readonly<Record<string, ErrorCodeInfo>>;

type TrimStart<Text extends string> = Text extends ` ${infer Rest}` ? TrimStart<Rest> : Text;
type CodeOfLine<Line extends string> =
  TrimStart<Line> extends `${infer Code extends `ERR_${string}`} ${string}` ? Code : never;

/** The codes a {@link defineErrorCodes} table names: the first word of each `ERR_` line. */
export type ErrorCodesIn<
  Table extends string,
  Found extends string = never,
> = Table extends `${infer Line}\n${infer Rest}`
  ? ErrorCodesIn<Rest, Found | CodeOfLine<Line>>
  : Found | CodeOfLine<Table>;

const notRetryableMark = '(not retryable)';
const entryLine = /^(ERR_[A-Z0-9_]+) +([1-5]\d\d) +(\S.*)$/;

/**
 * A package's error-code table, written the way `docs/errors.md` lists it: one code a line,
 * `ERR_CODE status Title`, with ` (not retryable)` at the end for a failure no retry can fix.
 * Blank lines and `//` lines (section headings) are skipped. The codes stay a typed union
 * (`keyof typeof table`); a malformed line or a code written twice throws when the module loads.
 */
export function defineErrorCodes<const Table extends string>(
  table: Table,
): { readonly [Code in ErrorCodesIn<Table>]: ErrorCodeInfo } {
  const codes: Record<string, ErrorCodeInfo> = {};
  for (const raw of table.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('//')) continue;
    const match = entryLine.exec(line);
    if (!match) throw new TypeError(`error-code table: "${line}" is not "ERR_CODE status Title"`);
    const [, code, status, text] = match as unknown as [string, string, string, string];
    if (code in codes) throw new TypeError(`error-code table: ${code} is listed twice`);
    const final = text.endsWith(notRetryableMark);
    const title = final ? text.slice(0, -notRetryableMark.length).trimEnd() : text;
    codes[code] = final
      ? { status: Number(status), title, retryable: false }
      : { status: Number(status), title };
  }
  return codes as { readonly [Code in ErrorCodesIn<Table>]: ErrorCodeInfo };
}

/** The codes of `@interlink/core`: the service kit's own problems and configuration failures. */
export const coreErrorCodes = defineErrorCodes(`
  ERR_NOT_FOUND               404 Not Found
  ERR_VALIDATION              400 Request validation failed
  ERR_MALFORMED_BODY          400 Malformed request body
  ERR_BAD_REQUEST             400 Bad Request
  ERR_HTTP_MALFORMED          400 Malformed HTTP request
  ERR_HEADERS_TOO_LARGE       431 Request headers too large
  ERR_REQUEST_TIMEOUT         408 Request timeout
  ERR_BODY_TOO_LARGE          413 Request body too large
  ERR_UNSUPPORTED_MEDIA_TYPE  415 Unsupported media type
  ERR_METHOD_NOT_ALLOWED      405 Method Not Allowed
  ERR_RATE_LIMITED            429 Too Many Requests
  ERR_UNAUTHORIZED            401 Unauthorized
  ERR_FORBIDDEN               403 Forbidden
  ERR_DEADLINE_EXCEEDED       504 Deadline exceeded
  ERR_DEADLINE_TOO_FAR        400 Deadline too far ahead
  ERR_SERVICE_UNAVAILABLE     503 Service unavailable
  ERR_NOT_READY               503 Not ready
  ERR_INTERNAL                500 Internal Server Error
  ERR_CONFIG_INVALID          500 Invalid configuration
  ERR_ROUTE_AUTH_NOT_ENFORCED 500 Route authentication not enforced
`);

export type CoreErrorCode = keyof typeof coreErrorCodes;
