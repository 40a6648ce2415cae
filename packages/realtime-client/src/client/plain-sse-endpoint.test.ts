// The package's tsconfig keeps Node's types out (the SDK runs in pages); this test runs a Node server.
/// <reference types="node" />
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeClient, type RealtimeClient, type RealtimeStatus } from './realtime-client.js';

// The client stands alone: a plain node:http SSE endpoint, which sends no `connected` frame, has no
// `/events/stream` path and asks for no token, gets the same status reports as the gateway.

let server: Server | undefined;
let client: RealtimeClient | undefined;

afterEach(async () => {
  client?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** Serves `GET /sse` with one event and keeps the stream open; resolves each request it gets. */
async function plainSseServer(): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  server = createServer((request, response) => {
    requests.push(request);
    if (request.url !== '/sse') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('id: 1\nevent: tick\ndata: {"n":1}\n\n');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('the realtime client against any SSE endpoint', () => {
  it('reports connecting, then open, with no connected frame, at its own path and without a token', async () => {
    const { url, requests } = await plainSseServer();
    const statuses: RealtimeStatus[] = [];
    const first = new Promise<{ n: number }>((resolve) => {
      client = createRealtimeClient({ url, path: '/sse', onStatus: (status) => statuses.push(status) });
      client.on<{ n: number }>('tick', (event) => resolve(event.data));
    });
    expect(await first).toEqual({ n: 1 });
    expect(statuses).toEqual(['connecting', 'open']);
    expect(client?.status).toBe('open');
    expect(client?.lastEventId).toBe('1');
    expect(requests.map((request) => [request.url, request.headers.authorization])).toEqual([
      ['/sse', undefined],
    ]);
  });
});
