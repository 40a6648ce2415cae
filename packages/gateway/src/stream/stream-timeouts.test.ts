import { connect } from 'node:net';
import { createTestGateways } from '@interlink/testing/gateway';
import { afterAll, describe, expect, it } from 'vitest';

const gateways = createTestGateways();
afterAll(async () => {
  await gateways.close();
});

/** Opens a socket, sends `request` (if any), and resolves when the server closes it. */
async function closedByServer(url: string, request?: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  await new Promise((resolve) => socket.once('connect', resolve));
  if (request) socket.write(request);
  await new Promise((resolve) => socket.once('close', resolve));
  return received;
}

describe('the service kit timeouts and SSE', () => {
  it('close idle sockets while a quiet stream, opened before them, stays open', async () => {
    const gw = await gateways.start({
      heartbeatMs: 600_000, // no heartbeat: the stream is as idle as the other sockets
      service: { timeouts: { idleMs: 300, keepAliveMs: 100, requestMs: 300, headersMs: 200 } },
    });
    const jwt = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    const stream = await gateways.open(`${gw.url}/events/stream`, { authorization: `Bearer ${jwt}` });
    await stream.waitForEvents(1, 'connected');

    const keepAlive = await closedByServer(
      gw.url,
      'GET /health HTTP/1.1\r\nhost: x\r\nconnection: keep-alive\r\n\r\n',
    );
    expect(keepAlive).toMatch(/^HTTP\/1\.1 200/);
    // Opened after the stream went quiet, with the same idle timeout: were the stream subject to
    // it, it would have been closed first.
    await closedByServer(gw.url);

    expect(stream.closed).toBe(false);
    await gw.events.publish({ subject: 'events.t1.u1', type: 'still-here', data: '{}' });
    await stream.waitForEvents(1, 'still-here');
  });
});
