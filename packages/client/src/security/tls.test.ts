import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient } from '../client/create-service-client.js';
import { ClientError } from '../errors/client-error.js';
import { rejection } from '../testing/rejection.test.helper.js';

const fixtures = new URL('../testing/fixtures/', import.meta.url);
const cert = readFileSync(new URL('test-cert.pem', fixtures));
const key = readFileSync(new URL('test-key.pem', fixtures));

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let modern: Server;
let legacy: Server;
let modernUrl: string;
let legacyUrl: string;

beforeAll(async () => {
  const handler: Parameters<typeof createServer>[1] = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"secure":true}');
  };
  modern = createServer({ key, cert }, handler);
  // A server stuck on TLS 1.1, as an old upstream might be.
  legacy = createServer(
    { key, cert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
    handler,
  );
  modernUrl = await listen(modern);
  legacyUrl = await listen(legacy);
});
afterAll(async () => {
  for (const s of [modern, legacy]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('transport security', () => {
  it('refuses a plain http:// upstream in production with a clear start-up error', () => {
    let error: unknown;
    try {
      createServiceClient({
        service: 'ticket-service',
        baseUrl: 'http://ticket-service:3000',
        production: true,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe('ERR_INSECURE_TARGET');
    expect((error as ClientError).message).toMatch(/ticket-service: HTTPS is required in production/);
  });

  it('refuses credentials in the URL and non-HTTP schemes anywhere', () => {
    expect(() =>
      createServiceClient({ service: 's', baseUrl: 'https://user:pw@h', production: false }),
    ).toThrow(/credentials/);
    expect(() =>
      createServiceClient({ service: 's', baseUrl: 'file:///etc/passwd', production: false }),
    ).toThrow(/http\(s\)/);
  });

  it('verifies the certificate: an unknown CA is refused, the configured CA accepted', async () => {
    const untrusted = createServiceClient({
      service: 'tls',
      baseUrl: modernUrl,
      production: true,
      retry: false,
    });
    const error = await rejection(untrusted.json({ path: '/' }));
    await untrusted.close();
    expect(error.code).toBe('ERR_UPSTREAM_UNAVAILABLE');
    expect(error.retryable).toBe(false);

    const trusted = createServiceClient({
      service: 'tls',
      baseUrl: modernUrl,
      production: true,
      transportOptions: { tls: { ca: cert } },
    });
    expect(await trusted.json({ path: '/' })).toEqual({ secure: true });
    await trusted.close();
  });

  it('refuses TLS below 1.2 even with a trusted certificate', async () => {
    // Control: the legacy server does accept a client that allows TLS 1.1.
    const protocol = await new Promise<string | null>((resolve, reject) => {
      const port = Number(new URL(legacyUrl).port);
      const socket = connect(
        { host: '127.0.0.1', port, ca: cert, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
        () => {
          resolve(socket.getProtocol());
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    expect(protocol).toBe('TLSv1.1');

    const c = createServiceClient({
      service: 'legacy',
      baseUrl: legacyUrl,
      production: true,
      retry: false,
      transportOptions: { tls: { ca: cert } },
    });
    const error = await rejection(c.json({ path: '/' }));
    await c.close();
    expect(error.code).toBe('ERR_UPSTREAM_UNAVAILABLE');
  });
});
