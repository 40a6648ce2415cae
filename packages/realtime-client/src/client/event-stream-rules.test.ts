// The package's tsconfig keeps Node's types out (the SDK runs in pages); this test runs a Node server.
/// <reference types="node" />
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeClient, type RealtimeClient, type Timers } from './realtime-client.js';

// The whole client against a real SSE server on a local port: what it does with `retry:`, `id:` and
// byte-order marks shows in the waits it schedules and the `Last-Event-ID` it sends back. Waits go
// through injected timers the test fires by hand, so nothing here sleeps or measures time.

/** A queue whose `next()` waits for the next pushed value. */
class Mailbox<T> {
  private readonly values: T[] = [];
  private readonly waiters: ((value: T) => void)[] = [];
  count = 0;

  push(value: T): void {
    this.count++;
    const waiter = this.waiters.shift();
    if (waiter) waiter(value);
    else this.values.push(value);
  }

  next(): Promise<T> {
    const value = this.values.shift();
    if (value !== undefined) return Promise.resolve(value);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

interface Connection {
  headers: IncomingHttpHeaders;
  /** Answers 200 `text/event-stream`, writes each chunk as its own write, then ends the stream. */
  stream(...chunks: (string | Uint8Array)[]): void;
  refuse(status: number): void;
}

interface Scheduled {
  ms: number;
  fire(): void;
}

const servers: Server[] = [];
const clients: RealtimeClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startSseServer(): Promise<{ url: string; connections: Mailbox<Connection> }> {
  const connections = new Mailbox<Connection>();
  const server = createServer((req, res: ServerResponse) => {
    connections.push({
      headers: req.headers,
      stream(...chunks) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        for (const chunk of chunks) res.write(chunk);
        res.end();
      },
      refuse(status) {
        res.writeHead(status, { 'content-type': 'application/problem+json' });
        res.end('{"code":"ERR_TEST"}');
      },
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections };
}

/** Timers that only fire when the test says so; each scheduled wait lands in the mailbox. */
function manualTimers(): { timers: Timers; waits: Mailbox<Scheduled> } {
  const waits = new Mailbox<Scheduled>();
  const live = new Set<number>();
  let nextHandle = 0;
  const timers: Timers = {
    setTimeout(callback, ms) {
      const handle = ++nextHandle;
      live.add(handle);
      waits.push({
        ms,
        fire: () => {
          if (live.delete(handle)) callback();
        },
      });
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle as number);
    },
  };
  return { timers, waits };
}

interface Received {
  data: unknown;
  id: string | undefined;
}

async function connect(options: { random?: () => number; initialMs?: number } = {}) {
  const server = await startSseServer();
  const { timers, waits } = manualTimers();
  const events = new Mailbox<Received>();
  const client = createRealtimeClient({
    url: server.url,
    getToken: () => 'test-token',
    timers,
    random: options.random ?? (() => 0),
    ...(options.initialMs !== undefined ? { backoff: { initialMs: options.initialMs } } : {}),
    onEvent: (event) => events.push({ data: event.raw, id: event.id }),
  });
  clients.push(client);
  return { client, connections: server.connections, waits, events };
}

describe('the realtime client follows the event-stream rules end to end', () => {
  it('waits the retry: time before reconnecting, within the floor and the cap, jitter on top', async () => {
    let jitter = 0;
    const { connections, waits } = await connect({ random: () => jitter, initialMs: 250 });
    // Each stream ends after its retry: field; the next wait shows the reconnection time it set.
    const steps: [body: string, expectedWait: number, jitter?: number][] = [
      ['retry: 4000\n', 4000],
      ['retry: 4s\n', 4000], // not only digits: ignored, the last valid value stays
      ['retry:  3000\n', 4000], // two spaces: the value is ` 3000`, ignored
      ['retry: 0\n', 500], // raised to RETRY_FLOOR_MS
      ['retry: 99999999999\n', 30_000], // cut to the default cap
      ['data: x\n\n', 37_500, 1], // jitter adds up to a quarter on top, never less than asked
      ['retry:1000\n', 1000],
    ];
    for (const [body, expectedWait, random] of steps) {
      jitter = random ?? 0;
      const connection = await connections.next();
      const before = connections.count;
      connection.stream(body);
      const wait = await waits.next();
      expect({ body, ms: wait.ms }).toEqual({ body, ms: expectedWait });
      // No new connection until the wait is over.
      expect(connections.count).toBe(before);
      wait.fire();
    }
  });

  it('doubles the wait while connections fail and starts again from retry: once one opens', async () => {
    const { connections, waits } = await connect();
    (await connections.next()).stream('retry: 1000\n');
    const waited: number[] = [];
    for (const answer of ['refuse', 'refuse', 'stream', 'refuse'] as const) {
      const wait = await waits.next();
      waited.push(wait.ms);
      wait.fire();
      const connection = await connections.next();
      if (answer === 'refuse') connection.refuse(503);
      else connection.stream('data: ok\n\n');
    }
    waited.push((await waits.next()).ms);
    expect(waited).toEqual([1000, 2000, 4000, 1000, 2000]);
  });

  it('sends back the last event id as the stream set it: kept, reset by an empty id:, moved by an id-only block', async () => {
    const { client, connections, waits, events } = await connect();
    const sent: (string | undefined)[] = [];
    const streams = [
      'id: 7\ndata: a\n\n',
      'id:\ndata: b\n\n', // an empty id resets it: the next request has no Last-Event-ID
      'id: 9\n\n', // an id-only block moves it without an event
      'id: x\u0000y\ndata: c\n\n', // an id with U+0000 is ignored
      'id: 10\ndata: d\n', // a block the stream never finished: its id is not taken
      'data: e\n\n',
    ];
    for (const body of streams) {
      const connection = await connections.next();
      sent.push(connection.headers['last-event-id'] as string | undefined);
      connection.stream(body);
      (await waits.next()).fire();
    }
    sent.push((await connections.next()).headers['last-event-id'] as string | undefined);
    expect(sent).toEqual([undefined, '7', undefined, '9', '9', '9', '9']);
    const received: Received[] = [];
    for (let i = 0; i < 4; i++) received.push(await events.next());
    expect(received).toEqual([
      { data: 'a', id: '7' },
      { data: 'b', id: undefined },
      { data: 'c', id: '9' },
      { data: 'e', id: '9' },
    ]);
    expect(client.lastEventId).toBe('9');
  });

  it('removes one byte-order mark at the start of the stream, not two', async () => {
    const { connections, waits, events } = await connect();
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
    // The BOM arrives in two writes, split inside its own bytes.
    (await connections.next()).stream(bom.subarray(0, 1), bom.subarray(1), 'data: one\n\n');
    expect(await events.next()).toEqual({ data: 'one', id: undefined });
    (await waits.next()).fire();
    // With two, the second belongs to the first line: its field is `\uFEFFdata`, unknown, so only
    // the second block is a message.
    (await connections.next()).stream(bom, bom, 'data: two\n\ndata: three\n\n');
    expect(await events.next()).toEqual({ data: 'three', id: undefined });
    (await waits.next()).fire();
    (await connections.next()).stream('data: four\n\n');
    expect(await events.next()).toEqual({ data: 'four', id: undefined });
  });
});
