import http from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** An SSE client for tests, parsing with eventsource-parser (independent of the gateway's encoder). */
export interface TestStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, when the response was not a stream (a problem document). */
  body: string;
  events: EventSourceMessage[];
  comments: string[];
  retry: number | undefined;
  closed: boolean;
  /** Resolves when `count` events (optionally of one name) have arrived. */
  waitForEvents(count: number, name?: string, timeoutMs?: number): Promise<EventSourceMessage[]>;
  waitFor(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  waitClosed(timeoutMs?: number): Promise<void>;
  /** Stops reading without closing (a slow client). */
  pause(): void;
  close(): void;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<TestStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const stream: TestStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: '',
        events: [],
        comments: [],
        retry: undefined,
        closed: false,
        async waitForEvents(count, name, timeoutMs = 5000) {
          const matching = () => stream.events.filter((e) => name === undefined || e.event === name);
          await stream.waitFor(() => matching().length >= count, `${count} ${name ?? ''} events`, timeoutMs);
          return matching();
        },
        waitFor(check, what, timeoutMs = 5000) {
          return new Promise((done, fail) => {
            const started = Date.now();
            const tick = () => {
              if (check()) return done();
              if (Date.now() - started > timeoutMs) {
                return fail(new Error(`timed out waiting for ${what}; got ${JSON.stringify(stream.events)}`));
              }
              setTimeout(tick, 10);
            };
            tick();
          });
        },
        waitClosed(timeoutMs = 5000) {
          return stream.waitFor(() => stream.closed, 'close', timeoutMs);
        },
        pause() {
          res.pause();
        },
        close() {
          req.destroy();
        },
      };
      const parser = createParser({
        onEvent: (event) => stream.events.push(event),
        onComment: (comment) => stream.comments.push(comment),
        onRetry: (retry) => {
          stream.retry = retry;
        },
      });
      res.setEncoding('utf8');
      const isStream = String(res.headers['content-type']).startsWith('text/event-stream');
      res.on('data', (chunk: string) => {
        if (isStream) parser.feed(chunk);
        else stream.body += chunk;
      });
      const closed = () => {
        stream.closed = true;
      };
      res.on('end', closed);
      res.on('close', closed);
      res.on('error', closed);
      resolve(stream);
    });
    req.on('error', reject);
  });
}
