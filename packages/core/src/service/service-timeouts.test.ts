import { describe, expect, it } from 'vitest';
import { createService, DEFAULT_SERVICE_TIMEOUTS } from './create-service.js';
import { rawSocket, serviceFactory } from './service-under-test.test.helper.js';

const make = serviceFactory();

describe('createService: timeouts', () => {
  it('sets idle, keep-alive, request and head timeouts by default', () => {
    const { service } = make();
    const server = service.app.server;
    expect(DEFAULT_SERVICE_TIMEOUTS).toEqual({
      idleMs: 60_000,
      keepAliveMs: 72_000,
      requestMs: 60_000,
      headersMs: 20_000,
    });
    expect(server.timeout).toBe(60_000);
    expect(server.keepAliveTimeout).toBe(72_000);
    expect(server.requestTimeout).toBe(60_000);
    expect(server.headersTimeout).toBe(20_000);
  });

  it('closes a connection that sends nothing, an idle keep-alive one, and a request whose body stalls', async () => {
    const { service } = make({ timeouts: { idleMs: 400, keepAliveMs: 150, requestMs: 300, headersMs: 200 } });
    service.app.post('/upload', async () => ({ ok: true }));
    const url = await service.listen({ handleSignals: false });

    const silent = await rawSocket(url);
    await silent.state.closed;

    const keepAlive = await rawSocket(url);
    keepAlive.socket.write(`GET /health HTTP/1.1\r\nhost: x\r\nconnection: keep-alive\r\n\r\n`);
    await keepAlive.state.closed;
    expect(keepAlive.state.received).toMatch(/^HTTP\/1\.1 200/);

    // A body that starts and never ends: bytes keep the socket from being idle, the request
    // timeout ends it.
    const stalled = await rawSocket(url);
    stalled.socket.write(
      `POST /upload HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`,
    );
    const trickle = setInterval(() => stalled.socket.write(' '), 50);
    await stalled.state.closed;
    clearInterval(trickle);
    expect(stalled.state.received).toMatch(/^HTTP\/1\.1 408/);
    expect(stalled.state.received).toContain('"code":"ERR_REQUEST_TIMEOUT"');
  });

  it('refuses a head timeout longer than the request timeout', () => {
    expect(() => createService({ name: 't', timeouts: { requestMs: 1000, headersMs: 2000 } })).toThrow(
      /headersMs/,
    );
  });
});
