import { createSseParser, type SseMessage } from '../sse/parse-sse.js';
import { backoffDelay, DEFAULT_MAX_DELAY_MS, retryReconnectionTime } from './backoff.js';

/** One event from the gateway; `data` is the parsed JSON (or the raw text when it is not JSON). */
export interface RealtimeEvent<T = unknown> {
  id: string | undefined;
  type: string;
  data: T;
  raw: string;
}

export type RealtimeStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why the gateway could not resume: events between the last id and now may be missing. */
export interface ResetInfo {
  reason: string;
  lastEventId: string | undefined;
}

export interface RealtimeClientOptions {
  /** The server's base URL, e.g. `https://gateway.example` or `location.origin`. */
  url: string;
  /**
   * The event stream's path, resolved against `url` (default `/events/stream`, the Interlink
   * gateway's); any server-sent events endpoint works.
   */
  path?: string;
  /**
   * The user's JWT; called before every connection, so a refreshed token is picked up. Without it
   * the fetch transport sends no `Authorization` header and the `eventsource` transport opens the
   * stream directly, without a stream token.
   */
  getToken?: () => Promise<string> | string;
  /**
   * `fetch` (default) sends the JWT in the Authorization header; `eventsource` exchanges it for a
   * short-lived stream token (`POST /events/token`) and uses the browser's EventSource.
   */
  transport?: 'fetch' | 'eventsource';
  /**
   * Event types `onEvent` receives with the `eventsource` transport, besides those passed to `on()`:
   * a native EventSource only delivers event names it has a listener for.
   */
  eventTypes?: readonly string[];
  /** Resume from this id on the first connection. */
  lastEventId?: string;
  /**
   * `initialMs` (default 250): the reconnection time until the server sends `retry:`. `maxMs`
   * (default 30 000): no wait is longer, before jitter, whether a `retry:` or repeated failures
   * asked for it. See `backoffDelay` and `RETRY_FLOOR_MS`.
   */
  backoff?: { initialMs?: number; maxMs?: number };
  onEvent?: (event: RealtimeEvent) => void;
  /** The app should reload its state: the gateway could not replay everything it missed. */
  onReset?: (info: ResetInfo) => void;
  onStatus?: (status: RealtimeStatus) => void;
  onError?: (error: Error) => void;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
  /** Schedules the waits between connections; tests and custom schedulers pass their own. */
  timers?: Timers;
  /** The source of jitter, in [0, 1). */
  random?: () => number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RealtimeClient {
  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T = unknown>(type: string, handler: (event: RealtimeEvent<T>) => void): () => void;
  readonly lastEventId: string | undefined;
  readonly status: RealtimeStatus;
  /** Drops the connection and reconnects at once, resuming from the last id. */
  reconnect(): void;
  close(): void;
}

/** An HTTP refusal from the gateway, with its problem `code` when it sent one. */
export class RealtimeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(`gateway answered ${status}${code ? ` ${code}` : ''}`);
    this.name = 'RealtimeHttpError';
  }
}

const CONTROL_EVENTS = new Set(['connected', 'reset', 'token-expiring']);

function parseData(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Connects to the gateway's `GET /events/stream` and keeps the connection: reads it by the WHATWG
 * event-stream rules, reconnects after the server's `retry:` time (bounded, jittered, doubled on
 * failures), resumes from the last event id, reconnects with a fresh token when the gateway says
 * the current one is expiring, and surfaces `reset` to the app.
 */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const maxMs = options.backoff?.maxMs ?? DEFAULT_MAX_DELAY_MS;
  const timers: Timers = options.timers ?? {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  // The spec's reconnection time: the client's own until the server sends `retry:`.
  let reconnectionMs = options.backoff?.initialMs ?? 250;
  const streamUrl = new URL(options.path ?? '/events/stream', options.url).toString();
  const handlers = new Map<string, Set<(event: RealtimeEvent) => void>>();
  let lastEventId = options.lastEventId;
  // Undefined until the first report, so the first `connecting` reaches `onStatus` too.
  let status: RealtimeStatus | undefined;
  let closed = false;
  let attempt = 0;
  let current: { abort(): void } | undefined;
  let wake: (() => void) | undefined;

  const setStatus = (next: RealtimeStatus) => {
    if (status === next) return;
    status = next;
    options.onStatus?.(next);
  };

  const emit = (event: RealtimeEvent) => {
    options.onEvent?.(event);
    const set = handlers.get(event.type);
    if (set) for (const handler of set) handler(event);
  };

  /**
   * Handles one message of a connection that resumed from `resumedFrom`; returns `reconnect` when
   * the connection should be replaced now. The last event id is tracked by the caller: the `connected`
   * and `reset` frames carry the gateway's head as their `id:`, so they move it like any event.
   */
  const handle = (message: SseMessage, resumedFrom: string | undefined): 'reconnect' | undefined => {
    if (message.event === 'connected') {
      attempt = 0;
      setStatus('open');
      return undefined;
    }
    if (message.event === 'reset') {
      const info = parseData(message.data) as Partial<ResetInfo>;
      options.onReset?.({ reason: String(info.reason ?? 'unknown'), lastEventId: resumedFrom });
      return undefined;
    }
    if (message.event === 'token-expiring') return 'reconnect';
    const id = message.lastEventId || undefined;
    emit({ id, type: message.event, data: parseData(message.data), raw: message.data });
    return undefined;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = timers.setTimeout(done, ms);
      function done() {
        timers.clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function problemCode(res: Response): Promise<string | undefined> {
    try {
      return ((await res.json()) as { code?: string }).code;
    } catch {
      return undefined;
    }
  }

  async function connectWithFetch(): Promise<void> {
    const controller = new AbortController();
    let replace = false;
    current = {
      abort: () => {
        replace = true;
        controller.abort();
      },
    };
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.getToken) headers.authorization = `Bearer ${await options.getToken()}`;
    // As the spec says: no header while the last event id is empty (never set, or reset by `id:`).
    const resumedFrom = lastEventId;
    if (resumedFrom) headers['last-event-id'] = resumedFrom;
    const res = await fetchImpl(streamUrl, { headers, signal: controller.signal, cache: 'no-store' });
    if (!res.ok || !res.body) throw new RealtimeHttpError(res.status, await problemCode(res));
    // The stream opened: the next wait is the plain reconnection time, not a failure's backoff.
    // Any SSE endpoint is open here; the gateway's `connected` frame is not needed for it.
    attempt = 0;
    setStatus('open');
    // The decoder keeps the BOM so the parser removes exactly one, as the spec's UTF-8 decode does.
    const reader = res.body.pipeThrough(new TextDecoderStream('utf-8', { ignoreBOM: true })).getReader();
    const parser = createSseParser(
      {
        onLastEventId: (id) => {
          lastEventId = id || undefined;
        },
        onRetry: (ms) => {
          reconnectionMs = retryReconnectionTime(ms);
        },
        onMessage: (message) => {
          if (handle(message, resumedFrom) === 'reconnect') {
            replace = true;
            controller.abort();
          }
        },
      },
      { lastEventId: resumedFrom ?? '' },
    );
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch (error) {
      if (!replace && !closed) throw error;
    }
    if (replace) attempt = -1; // reconnect at once: the next delay is skipped
  }

  async function connectWithEventSource(): Promise<void> {
    const ES = options.EventSource ?? globalThis.EventSource;
    const url = new URL(streamUrl);
    if (options.getToken) {
      const issued = await fetchImpl(new URL('/events/token', options.url).toString(), {
        method: 'POST',
        headers: { authorization: `Bearer ${await options.getToken()}` },
      });
      if (!issued.ok) throw new RealtimeHttpError(issued.status, await problemCode(issued));
      const { token } = (await issued.json()) as { token: string };
      url.searchParams.set('token', token);
    }
    const resumedFrom = lastEventId;
    if (resumedFrom) url.searchParams.set('lastEventId', resumedFrom);
    const source = new ES(url.toString());
    await new Promise<void>((resolve, reject) => {
      let replace = false;
      const finish = (error?: Error) => {
        source.close();
        if (replace) attempt = -1;
        if (error && !replace && !closed) reject(error);
        else resolve();
      };
      current = {
        abort: () => {
          replace = true;
          finish();
        },
      };
      const listen = (type: string) =>
        source.addEventListener(type, (event) => {
          const message = event as MessageEvent<string>;
          // A fresh EventSource starts with an empty id, so only a non-empty one says anything here.
          if (message.lastEventId) lastEventId = message.lastEventId;
          const result = handle(
            { lastEventId: message.lastEventId, event: type, data: message.data },
            resumedFrom,
          );
          if (result === 'reconnect') {
            replace = true;
            finish();
          }
        });
      const types = [...CONTROL_EVENTS, 'message', ...(options.eventTypes ?? []), ...handlers.keys()];
      for (const type of new Set(types)) listen(type);
      listenNew = listen;
      source.onopen = () => {
        attempt = 0;
        setStatus('open');
      };
      // EventSource retries by itself with its old URL; a fresh token needs a new one, so take over.
      source.onerror = () => finish(new Error('stream interrupted'));
    });
    listenNew = undefined;
  }
  let listenNew: ((type: string) => void) | undefined;

  async function run(): Promise<void> {
    while (!closed) {
      setStatus(attempt === 0 ? 'connecting' : 'reconnecting');
      try {
        if (options.transport === 'eventsource') await connectWithEventSource();
        else await connectWithFetch();
      } catch (error) {
        if (closed) break;
        const err = error instanceof Error ? error : new Error(String(error));
        options.onError?.(err);
        // 403: the identity can never stream (no usable user or tenant id); retrying cannot help.
        if (err instanceof RealtimeHttpError && err.status === 403) break;
      }
      current = undefined;
      if (closed) break;
      if (attempt < 0) {
        attempt = 0;
        continue;
      }
      setStatus('reconnecting');
      await sleep(backoffDelay(attempt++, reconnectionMs, maxMs, options.random));
    }
    setStatus('closed');
  }

  void run();

  return {
    on(type, handler) {
      let set = handlers.get(type);
      if (!set) {
        set = new Set();
        handlers.set(type, set);
        listenNew?.(type);
      }
      const h = handler as (event: RealtimeEvent) => void;
      set.add(h);
      return () => {
        set.delete(h);
      };
    },
    get lastEventId() {
      return lastEventId;
    },
    get status() {
      return status ?? 'connecting';
    },
    reconnect() {
      current?.abort();
      wake?.();
    },
    close() {
      closed = true;
      current?.abort();
      wake?.();
    },
  };
}
