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

/** The codes of `@interlink/core`: the service kit's own problems and configuration failures. */
export const coreErrorCodes = {
  ERR_NOT_FOUND: { status: 404, title: 'Not Found' },
  ERR_VALIDATION: { status: 400, title: 'Request validation failed' },
  ERR_MALFORMED_BODY: { status: 400, title: 'Malformed request body' },
  ERR_BAD_REQUEST: { status: 400, title: 'Bad Request' },
  ERR_BODY_TOO_LARGE: { status: 413, title: 'Request body too large' },
  ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method Not Allowed' },
  ERR_RATE_LIMITED: { status: 429, title: 'Too Many Requests' },
  ERR_UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  ERR_FORBIDDEN: { status: 403, title: 'Forbidden' },
  ERR_DEADLINE_EXCEEDED: { status: 504, title: 'Deadline exceeded' },
  ERR_SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  ERR_NOT_READY: { status: 503, title: 'Not ready' },
  ERR_INTERNAL: { status: 500, title: 'Internal Server Error' },
  ERR_CONFIG_INVALID: { status: 500, title: 'Invalid configuration' },
  ERR_ROUTE_AUTH_NOT_ENFORCED: { status: 500, title: 'Route authentication not enforced' },
} as const satisfies ErrorCodeTable;

export type CoreErrorCode = keyof typeof coreErrorCodes;
