import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  authPlugin,
  createKeyring,
  createRedisNonceStore,
  createRequestSigner,
  createRequestVerifier,
  createSigningKey,
} from '@interlink/auth';
import { openRedisScratch } from '@interlink/testing';
import { startTestGateway, type TestGateway } from '@interlink/testing/gateway';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamSigner } from '../auth/auth-adapters.js';

// The gateway signs what it proxies with @interlink/auth; the upstream is a Fastify app that
// verifies with @interlink/auth's own plugin and Redis replay store, as a service behind the
// gateway does. Before the proxy read and digested bodies, every POST with a body (and every
// request with an Idempotency-Key) was refused here with ERR_SIGNATURE_COVERAGE.
const secret = randomBytes(32);
const scratch = openRedisScratch('gwproxy-signed');
let upstream: FastifyInstance;
let upstreamUrl: string;
let gw: TestGateway;

interface Received {
  body: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}
const received: Received[] = [];

beforeAll(async () => {
  upstream = Fastify();
  await upstream.register(authPlugin, {
    signatures: createRequestVerifier({
      keys: createKeyring([{ keyId: 'gw-1', service: 'gateway', alg: 'hmac-sha256', secret }]),
      nonceStore: createRedisNonceStore({ redis: scratch.redis, prefix: scratch.prefix }),
    }),
    servicePermissions: { gateway: ['orders:*'] },
  });
  const handler = async (request: import('fastify').FastifyRequest) => {
    received.push({ body: request.rawBody?.toString('utf8'), headers: { ...request.headers } });
    return { principal: request.principal, body: request.body ?? null };
  };
  upstream.route({
    method: ['POST', 'PUT', 'DELETE'],
    url: '/orders',
    config: { auth: 'service', permission: 'orders:write' },
    handler,
  });
  await upstream.listen({ port: 0, host: '127.0.0.1' });
  upstreamUrl = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
  gw = await startTestGateway({
    upstream: {
      url: upstreamUrl,
      signRequest: upstreamSigner(
        createRequestSigner({ key: createSigningKey({ keyId: 'gw-1', alg: 'hmac-sha256', secret }) }),
      ),
    },
  });
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
  await scratch.close();
});

/** `method /api/orders` through the gateway as user u1 of tenant t1. */
const viaGateway = async (method: string, headers: Record<string, string>, body?: string) =>
  fetch(`${gw.url}/api/orders`, {
    method,
    headers: { authorization: `Bearer ${await gw.users.mint({ userId: 'u1', tenantId: 't1' })}`, ...headers },
    ...(body === undefined ? {} : { body }),
  });

describe('ALL /api/* signed for an upstream that verifies with @interlink/auth', () => {
  it('forwards a POST with a JSON body byte for byte, its digest and content type signed', async () => {
    received.length = 0;
    // Spacing, key order and non-ASCII text that a re-serialized body would change.
    const body = '{ "qty": 2,\n  "note": "café ✓", "a": 1 }';
    const res = await viaGateway('POST', { 'content-type': 'application/json; charset=utf-8' }, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      principal: expect.objectContaining({
        kind: 'service',
        service: 'gateway',
        tenantId: 't1',
        userId: 'u1',
      }),
      body: { qty: 2, note: 'café ✓', a: 1 },
    });
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toBe(body);
    const { headers } = received[0]!;
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(headers['signature-input']).toMatch(/"content-digest" "content-type"/);
  });

  it('signs the Idempotency-Key, with a body and without one', async () => {
    received.length = 0;
    const post = await viaGateway(
      'POST',
      { 'content-type': 'application/json', 'idempotency-key': 'order-7f3a' },
      '{"qty":1}',
    );
    expect(post.status).toBe(200);
    const remove = await viaGateway('DELETE', { 'idempotency-key': 'cancel-7f3a' });
    expect(remove.status).toBe(200);
    expect(received.map((r) => [r.body ?? '', r.headers['idempotency-key']])).toEqual([
      ['{"qty":1}', 'order-7f3a'],
      ['', 'cancel-7f3a'],
    ]);
    for (const { headers } of received) expect(headers['signature-input']).toContain('"idempotency-key"');
  });

  it("the upstream's replay store refuses the same signed request a second time", async () => {
    received.length = 0;
    const body = '{"qty":3}';
    const first = await viaGateway('PUT', { 'content-type': 'application/json' }, body);
    expect(first.status).toBe(200);
    // Sent again to the upstream as the gateway sent it: same signature, same nonce.
    const { headers } = received[0]!;
    const replay = await fetch(`${upstreamUrl}/orders`, {
      method: 'PUT',
      headers: Object.fromEntries(
        ['content-type', 'content-digest', 'signature', 'signature-input', 'x-tenant-id', 'x-user-id'].map(
          (name) => [name, String(headers[name])],
        ),
      ),
      body,
    });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe('ERR_NONCE_REPLAYED');
  });
});
