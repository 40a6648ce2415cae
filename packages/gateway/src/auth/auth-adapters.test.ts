import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createJwtVerifier,
  createKeyring,
  createMemoryNonceStore,
  createRequestSigner,
  createRequestVerifier,
  createSigningKey,
  servicePermissions,
} from '@interlink/auth';
import { openStream, startTestGateway, type TestGateway } from '@interlink/testing/gateway';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedServiceAuthenticator, upstreamSigner, userTokenVerifier } from './auth-adapters.js';

// The gateway with @interlink/auth's own verifiers: user JWTs and RFC 9421 service signatures.
const jwtSecret = randomBytes(32);
const hmacSecret = randomBytes(32);
let gw: TestGateway;

const mintUser = (userId: string, tenantId: string) =>
  new SignJWT({ tenant_id: tenantId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer('https://id.example')
    .setAudience('gateway')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(jwtSecret);

beforeAll(async () => {
  gw = await startTestGateway({
    verifyUserToken: userTokenVerifier(
      createJwtVerifier({
        keys: [{ key: jwtSecret, secret: true }],
        issuer: 'https://id.example',
        audience: 'gateway',
      }),
    ),
    authenticateService: signedServiceAuthenticator({
      verify: createRequestVerifier({
        keys: createKeyring([
          { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: hmacSecret },
        ]),
        nonceStore: createMemoryNonceStore(),
      }),
      permissionsFor: (service) => servicePermissions({ orders: ['events:*'] }, service),
    }),
  });
});

afterAll(async () => {
  await gw.close();
});

describe('@interlink/auth adapters', () => {
  it('streams to a user verified by auth, and accepts an event signed with RFC 9421 once', async () => {
    const stream = await openStream(`${gw.url}/events/stream`, {
      authorization: `Bearer ${await mintUser('u1', 't1')}`,
    });
    expect(stream.status).toBe(200);
    await stream.waitForEvents(1, 'connected');

    const signer = createRequestSigner({
      key: createSigningKey({ keyId: 'orders-1', alg: 'hmac-sha256', secret: hmacSecret }),
    });
    const url = `${gw.url}/internal/events`;
    const body = JSON.stringify({ tenantId: 't1', userId: 'u1', type: 'order.paid', data: { id: 'o1' } });
    const headers = { 'content-type': 'application/json' };
    const signed = signer.sign({ method: 'POST', url, headers, body: new TextEncoder().encode(body) });
    const res = await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body });
    expect(res.status).toBe(202);
    await stream.waitForEvents(1, 'order.paid');

    // The same signature again is a replay; a changed body no longer matches its digest.
    const replay = await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body });
    expect(replay.status).toBe(401);
    const fresh = signer.sign({ method: 'POST', url, headers, body: new TextEncoder().encode(body) });
    const tampered = await fetch(url, {
      method: 'POST',
      headers: { ...headers, ...fresh },
      body: body.replace('o1', 'o2'),
    });
    expect(tampered.status).toBe(401);
    stream.close();
  });

  it('refuses an event signed for another authority and replayed here with a forged Host', async () => {
    const signer = createRequestSigner({
      key: createSigningKey({ keyId: 'orders-1', alg: 'hmac-sha256', secret: hmacSecret }),
    });
    const body = JSON.stringify({ tenantId: 't1', type: 'order.paid', data: { id: 'o2' } });
    const headers = { 'content-type': 'application/json' };
    const elsewhere = 'http://events.other-cluster:3000/internal/events';
    const signed = signer.sign({
      method: 'POST',
      url: elsewhere,
      headers,
      body: new TextEncoder().encode(body),
    });
    // undici does not let fetch forge Host; node:http does.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${gw.url}/internal/events`, {
        method: 'POST',
        headers: { ...headers, ...signed, host: 'events.other-cluster:3000' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(401);
  });

  it("refuses a user token auth refuses, with auth's error code", async () => {
    const wrongAudience = await new SignJWT({ tenant_id: 't1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('https://id.example')
      .setAudience('someone-else')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(jwtSecret);
    const res = await fetch(`${gw.url}/events/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${wrongAudience}` },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toMatch(/^ERR_JWT_/);
  });

  it('signs proxied requests so the upstream verifies the gateway and the identity it asserts (finding 16)', async () => {
    const gatewaySecret = randomBytes(32);
    const verify = createRequestVerifier({
      keys: createKeyring([{ keyId: 'gw-1', service: 'gateway', alg: 'hmac-sha256', secret: gatewaySecret }]),
      nonceStore: createMemoryNonceStore(),
    });
    const upstream = http.createServer(async (req, res) => {
      try {
        const verified = await verify({
          method: req.method!,
          url: req.url!,
          authority: req.headers.host!,
          headers: req.headers as Record<string, string>,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(verified));
      } catch (error) {
        res.writeHead(401).end(String((error as { code?: string }).code));
      }
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const proxy = await startTestGateway({
      users: gw.users,
      upstream: {
        url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
        signRequest: upstreamSigner(
          createRequestSigner({
            key: createSigningKey({ keyId: 'gw-1', alg: 'hmac-sha256', secret: gatewaySecret }),
          }),
        ),
      },
    });
    const res = await fetch(`${proxy.url}/api/orders/1?x=1`, {
      headers: {
        authorization: `Bearer ${await proxy.users.mint({ userId: 'u1', tenantId: 't1' })}`,
        'x-tenant-id': 'forged',
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ service: 'gateway', tenantId: 't1', userId: 'u1' });
    await proxy.close();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });
});
