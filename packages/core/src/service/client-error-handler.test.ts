import { describe, expect, it } from 'vitest';
import { rawSocket, serviceFactory } from './service-under-test.test.helper.js';

const make = serviceFactory();

/** Sends raw bytes, waits for the server to close the connection, and splits its answer. */
async function exchange(url: string, request: Buffer | string) {
  const { socket, state } = await rawSocket(url);
  socket.write(request);
  await state.closed;
  const [head = '', body = ''] = state.received.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return { statusLine, headers, body: JSON.parse(body) as Record<string, unknown> };
}

describe('createService: requests Node refuses before any route', () => {
  it('answers raw non-ASCII bytes in the request line with a problem, a request id and the security headers', async () => {
    const { service, logs } = make({ profile: 'public' });
    const url = await service.listen({ handleSignals: false });
    // An unencoded full-width dot pair, as a path-traversal probe sends it.
    const probe = Buffer.concat([
      Buffer.from('GET /api/'),
      Buffer.from('．．', 'utf8'),
      Buffer.from('/etc HTTP/1.1\r\nhost: x\r\n\r\n'),
    ]);
    const { statusLine, headers, body } = await exchange(url, probe);
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(headers['content-type']).toBe('application/problem+json');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
    expect(headers.connection).toBe('close');
    expect(body).toMatchObject({
      status: 400,
      code: 'ERR_HTTP_MALFORMED',
      requestId: headers['x-request-id'],
    });
    expect(Number(headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'client error', code: 'ERR_HTTP_MALFORMED' }));
  });

  it('answers a head over the header limit with 431, and writes no browser headers on the internal profile', async () => {
    const { service } = make({ profile: 'internal' });
    const url = await service.listen({ handleSignals: false });
    const { statusLine, headers, body } = await exchange(
      url,
      `GET /health HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(body).toMatchObject({ status: 431, code: 'ERR_HEADERS_TOO_LARGE' });
    expect(headers['x-content-type-options']).toBeUndefined();
  });

  it('keeps serving after refusing a malformed request', async () => {
    const { service } = make();
    const url = await service.listen({ handleSignals: false });
    const { body } = await exchange(url, 'GET / HTTP/1.1\r\nbad header line\r\n\r\n');
    expect(body.code).toBe('ERR_HTTP_MALFORMED');
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
  });
});
