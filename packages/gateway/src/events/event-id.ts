/**
 * A position in the event stream: `<epoch>:<sequence>`. The sequence orders events across every
 * subject of one stream; the epoch names the stream's lifetime, so an id from a stream that was
 * recreated (or from another embedded process) is recognised as foreign instead of being compared.
 */
export interface EventPosition {
  epoch: string;
  sequence: number;
}

const EVENT_ID = /^([A-Za-z0-9_-]{1,64}):(\d{1,15})$/;

/** Formats a position as the SSE `id:` value. */
export function formatEventId(position: EventPosition): string {
  return `${position.epoch}:${position.sequence}`;
}

/** Parses an SSE `Last-Event-ID`; `undefined` for anything that is not one of our ids. */
export function parseEventId(value: string | undefined): EventPosition | undefined {
  if (!value) return undefined;
  const match = EVENT_ID.exec(value.trim());
  if (!match) return undefined;
  const sequence = Number(match[2]);
  if (!Number.isSafeInteger(sequence)) return undefined;
  return { epoch: match[1]!, sequence };
}
