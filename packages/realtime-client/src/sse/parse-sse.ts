/** One dispatched SSE message. */
export interface SseMessage {
  /** The `id:` of this message, if it had one. */
  id: string | undefined;
  /** The event name; `message` when the frame had no `event:` field. */
  event: string;
  data: string;
}

export interface SseParserCallbacks {
  onMessage(message: SseMessage): void;
  onRetry?(ms: number): void;
  onComment?(text: string): void;
}

export interface SseParser {
  /** Feeds decoded text; frames may be split anywhere, even inside a CRLF. */
  feed(chunk: string): void;
  reset(): void;
}

/**
 * An incremental parser for the WHATWG `text/event-stream` format. Written here rather than taken
 * from a library so the SDK is one dependency-free ESM file set a page can import without a
 * bundler; its tests check it against eventsource-parser on the same input.
 */
export function createSseParser(callbacks: SseParserCallbacks): SseParser {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let sawBom = false;
  let pendingCr = false;

  const dispatch = () => {
    if (data.length > 0) callbacks.onMessage({ id, event: event || 'message', data: data.join('\n') });
    data = [];
    event = '';
    id = undefined;
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) {
      callbacks.onComment?.(text.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') {
      if (!value.includes('\u0000')) id = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) callbacks.onRetry?.(Number(value));
  };

  return {
    feed(chunk) {
      let text = chunk;
      if (!sawBom) {
        if (text.length === 0) return;
        sawBom = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      // A CR at the end of the previous chunk already ended a line; a LF right after it belongs to it.
      if (pendingCr && text.startsWith('\n')) text = text.slice(1);
      pendingCr = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        line(buffer.slice(start, i));
        if (c === 13) {
          if (i + 1 === buffer.length) pendingCr = true;
          else if (buffer.charCodeAt(i + 1) === 10) i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    reset() {
      buffer = '';
      data = [];
      event = '';
      id = undefined;
      pendingCr = false;
    },
  };
}
