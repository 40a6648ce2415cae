import { Type } from '@sinclair/typebox';

/**
 * An RFC 3339 date-time. A pattern rather than `format: 'date-time'`, whose checkers differ between
 * ajv-formats (the server) and anything we could register with TypeBox (the client). The same
 * pattern as the bus envelope's `ISO_DATE_TIME`, which will come from here when the event payloads
 * move to this package.
 */
export const DATE_TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

/** An RFC 3339 date-time string (`2026-01-12T09:30:00Z`). */
export function Timestamp(options: { description?: string } = {}) {
  return Type.String({ ...options, pattern: DATE_TIME_PATTERN, maxLength: 40 });
}
