/** One dispatched SSE message, as the WHATWG `MessageEvent` of an `EventSource` carries it. */
export interface SseMessage {
  /** The event type: the block's `event:` value, or `message` when it had none (or an empty one). */
  event: string;
  /** The block's `data:` lines joined with LF. */
  data: string;
  /**
   * The stream's last event id when this message was dispatched: the latest `id:` of this block or
   * of an earlier one (ids persist across blocks), `''` when none was set or an empty `id:` reset it.
   */
  lastEventId: string;
}

export interface SseParserCallbacks {
  onMessage(message: SseMessage): void;
  /** A `retry:` field made of ASCII digits only, in ms, unclamped: the caller applies its bounds. */
  onRetry?(ms: number): void;
  onComment?(text: string): void;
  /**
   * The last event id changed: called when a block is dispatched, before its message, and also for
   * blocks with an `id:` but no data (they dispatch nothing, yet move the id a reconnect sends).
   */
  onLastEventId?(id: string): void;
}

export interface SseParserOptions {
  /**
   * The last event id a previous connection of the same source ended with. The spec starts each
   * stream's id buffer empty, but browsers carry the source's id over (a new stream's first block
   * without `id:` must not forget where to resume from), and so do we.
   */
  lastEventId?: string;
}

export interface SseParser {
  /**
   * Feeds text decoded with the BOM kept (`new TextDecoder('utf-8', { ignoreBOM: true })`): the
   * parser removes the one leading BOM the spec allows. Chunks may split anywhere, even a CRLF.
   */
  feed(chunk: string): void;
  /** The last event id of the stream so far (`''` when none). */
  readonly lastEventId: string;
  /** Starts a new stream: drops a partial line and block, keeps the last event id. */
  reset(): void;
}

const LF = 10;
const CR = 13;
const BOM = 0xfeff;
const DIGITS = /^[0-9]+$/;

/**
 * An incremental parser following the WHATWG HTML "event stream interpretation" rules exactly.
 * Written here rather than taken from a library so the SDK is one dependency-free ESM file set a
 * page can import without a bundler; its tests run the spec's cases whole, chunked and byte by byte.
 */
export function createSseParser(callbacks: SseParserCallbacks, options: SseParserOptions = {}): SseParser {
  let lastEventId = options.lastEventId ?? '';
  // The block being read: the spec's data, event type and last event id buffers.
  let data = '';
  let eventType = '';
  let idBuffer = lastEventId;
  let buffer = '';
  let atStreamStart = true;
  let pendingCr = false;

  const dispatch = () => {
    if (idBuffer !== lastEventId) {
      lastEventId = idBuffer;
      callbacks.onLastEventId?.(lastEventId);
    }
    if (data === '') {
      eventType = '';
      return;
    }
    const message = { event: eventType || 'message', data: data.slice(0, -1), lastEventId };
    data = '';
    eventType = '';
    callbacks.onMessage(message);
  };

  const field = (name: string, value: string) => {
    if (name === 'event') eventType = value;
    else if (name === 'data') data += `${value}\n`;
    else if (name === 'id') {
      if (!value.includes('\u0000')) idBuffer = value;
    } else if (name === 'retry') {
      if (DIGITS.test(value)) callbacks.onRetry?.(Number(value));
    }
    // Any other field name is ignored, as the spec says.
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    const colon = text.indexOf(':');
    if (colon === 0) {
      callbacks.onComment?.(text.slice(text.charCodeAt(1) === 32 ? 2 : 1));
      return;
    }
    if (colon === -1) return field(text, '');
    // Exactly one space after the colon belongs to the syntax; any further ones are the value's.
    const start = text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
    field(text.slice(0, colon), text.slice(start));
  };

  return {
    feed(chunk) {
      let text = chunk;
      if (atStreamStart) {
        if (text.length === 0) return;
        atStreamStart = false;
        if (text.charCodeAt(0) === BOM) text = text.slice(1);
      }
      // A CR at the end of the previous chunk already ended a line; a LF right after it is part of it.
      if (pendingCr && text.charCodeAt(0) === LF) text = text.slice(1);
      pendingCr = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== LF && c !== CR) continue;
        line(buffer.slice(start, i));
        if (c === CR) {
          if (i + 1 === buffer.length) pendingCr = true;
          else if (buffer.charCodeAt(i + 1) === LF) i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    get lastEventId() {
      return lastEventId;
    },
    reset() {
      buffer = '';
      data = '';
      eventType = '';
      idBuffer = lastEventId;
      atStreamStart = true;
      pendingCr = false;
    },
  };
}
