/** The current time as an envelope's `time` (RFC 3339, UTC, milliseconds). */
export type EventClock = () => string;

/**
 * A clock that formats each millisecond once: a publisher sending thousands of events a second
 * stamps many in the same millisecond, and `toISOString` is a large share of building an envelope.
 * `now` (default `Date.now`) is the source of milliseconds, for tests.
 */
export function createEventClock(now: () => number = Date.now): EventClock {
  let last = Number.NaN;
  let formatted = '';
  return () => {
    const ms = now();
    if (ms !== last) {
      last = ms;
      formatted = new Date(ms).toISOString();
    }
    return formatted;
  };
}
