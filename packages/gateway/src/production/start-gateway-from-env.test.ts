import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createKeyring,
  createMemoryNonceStore,
  createRequestSigner,
  createRequestVerifier,
  createSigningKey,
} from '@interlink/auth';
import { deleteGatewayState, natsUrl, redisUrl, uniqueId } from '@interlink/testing';
import { issueStreamToken, openStream } from '@interlink/testing/gateway';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayFromEnv, startGatewayFromEnv } from './start-gateway-from-env.js';

const suffix = uniqueId();
const redisPrefix = `gwprod:${suffix}:`;
const streams = [`GWPROD_${suffix}`, `GWPRODS_${suffix}`];
const redis = new Redis(redisUrl);
const servers: http.Server[] = [];
const started: GatewayFromEnv[] = [];

// User keys: the identity provider's (published in its JWKS) and an attacker's.
const idp = generateKeyPairSync('ed25519');
const attacker = generateKeyPairSync('ed25519');
const ordersSecret = randomBytes(32).toString('base64url');
const gatewaySecret = randomBytes(32).toString('base64url');
const ordersSigner = (secret = ordersSecret) =>
  createRequestSigner({ key: createSigningKey({ keyId: 'orders-1', alg: 'hmac-sha256', secret }) });

function mint(key: KeyObject, claims: { sub: string; tenant: string }, kid: string | null = 'idp-1') {
  return new SignJWT({ tenant_id: claims.tenant })
    .setProtectedHeader({ alg: 'EdDSA', ...(kid ? { kid } : {}) })
    .setSubject(claims.sub)
    .setIssuer('https://id.example')
    .setAudience('gateway')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A correctly signed `POST /internal/events`, as a service using @interlink/auth sends it. */
async function publish(url: string, event: object, signer = ordersSigner()) {
  const target = `${url}/internal/events`;
  const body = JSON.stringify(event);
  const headers = { 'content-type': 'application/json' };
  const signed = signer.sign({ method: 'POST', url: target, headers, body: new TextEncoder().encode(body) });
  return fetch(target, { method: 'POST', headers: { ...headers, ...signed }, body });
}

async function problem(response: Response): Promise<{ status: number; type: string | null; code: string }> {
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    code: ((await response.json()) as { code: string }).code,
  };
}

afterAll(async () => {
  for (const gw of started) await gw.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  redis.disconnect();
  await deleteGatewayState({ redisPrefix, streams });
});

describe('startGatewayFromEnv: JWKS, JetStream, Redis, signed services and a signed proxy', () => {
  let gw: GatewayFromEnv;
  let jwksFetches = 0;
  const upstreamSaw: unknown[] = [];

  beforeAll(async () => {
    const jwksUrl = await listen((_req, res) => {
      jwksFetches++;
      const jwk = { ...idp.publicKey.export({ format: 'jwk' }), kid: 'idp-1', alg: 'EdDSA', use: 'sig' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    // The upstream verifies the gateway's signature with auth, as a backend of the gateway would.
    const verifyGateway = createRequestVerifier({
      keys: createKeyring([{ keyId: 'gw-1', service: 'gateway', alg: 'hmac-sha256', secret: gatewaySecret }]),
      nonceStore: createMemoryNonceStore(),
    });
    const upstreamUrl = await listen(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        const verified = await verifyGateway({
          method: req.method!,
          url: req.url!,
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks),
        });
        upstreamSaw.push(verified);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(verified));
      } catch (error) {
        res.writeHead(401).end(String((error as { code?: string }).code));
      }
    });
    gw = await startGatewayFromEnv(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        NATS_URL: natsUrl,
        REDIS_URL: redisUrl,
        GATEWAY_STREAM: streams[0],
        GATEWAY_SUBJECT_PREFIX: `gwprod${suffix}`,
        GATEWAY_REDIS_PREFIX: redisPrefix,
        GATEWAY_CONNECTIONS_PER_USER: '2',
        LOG_LEVEL: 'warn',
        // http is accepted outside production only (this local JWKS server); production needs https.
        JWT_JWKS_URL: `${jwksUrl}/.well-known/jwks.json`,
        JWT_ISSUER: 'https://id.example',
        JWT_AUDIENCE: 'gateway',
        SERVICE_KEYS: JSON.stringify([
          { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: ordersSecret },
        ]),
        API_UPSTREAM_URL: upstreamUrl,
        GATEWAY_SIGNING_KEY_ID: 'gw-1',
        GATEWAY_SIGNING_KEY: gatewaySecret,
        API_UPSTREAM_MAX_BODY_BYTES: '64',
      },
      { handleSignals: false },
    );
    started.push(gw);
  });

  it('accepts a user JWT signed with a JWKS key and refuses one signed by another key', async () => {
    const stream = await openStream(`${gw.url}/events/stream`, {
      authorization: `Bearer ${await mint(idp.privateKey, { sub: 'u1', tenant: 't1' })}`,
    });
    expect(stream.status).toBe(200);
    await stream.waitForEvents(1, 'connected');
    expect(jwksFetches).toBe(1);
    stream.close();

    // Same kid, the attacker's key: the signature does not verify.
    const forged = await openStream(`${gw.url}/events/stream`, {
      authorization: `Bearer ${await mint(attacker.privateKey, { sub: 'u1', tenant: 't1' })}`,
    });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ code: 'ERR_JWT_SIGNATURE' });
    // A kid the JWKS does not have, and no kid at all (the JWKS keys all have one).
    for (const kid of ['attacker-1', null]) {
      const unknown = await openStream(`${gw.url}/events/stream`, {
        authorization: `Bearer ${await mint(attacker.privateKey, { sub: 'u1', tenant: 't1' }, kid)}`,
      });
      expect(unknown.status).toBe(401);
      expect(JSON.parse(unknown.body)).toMatchObject({ code: 'ERR_JWT_UNKNOWN_KID' });
    }
  });

  it('delivers an event a service published with a correct RFC 9421 signature', async () => {
    const stream = await openStream(`${gw.url}/events/stream`, {
      authorization: `Bearer ${await mint(idp.privateKey, { sub: 'u2', tenant: 't1' })}`,
    });
    await stream.waitForEvents(1, 'connected');
    const res = await publish(gw.url, {
      tenantId: 't1',
      userId: 'u2',
      type: 'order.paid',
      data: { id: 'o1' },
    });
    expect(res.status).toBe(202);
    const [event] = await stream.waitForEvents(1, 'order.paid');
    expect(JSON.parse(event!.data)).toEqual({ id: 'o1' });
    // A JetStream sequence, read back from NATS.
    expect(event!.id).toBe(((await res.json()) as { id: string }).id);
    stream.close();
  });

  it('refuses unsigned, wrongly signed and replayed POST /internal/events with problems', async () => {
    const body = JSON.stringify({ tenantId: 't1', type: 'x', data: null });
    const unsigned = await fetch(`${gw.url}/internal/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(await problem(unsigned)).toEqual({
      status: 401,
      type: expect.stringContaining('application/problem+json'),
      code: 'ERR_SIGNATURE_MISSING',
    });
    // The right key id with another secret.
    const wrong = await publish(
      gw.url,
      { tenantId: 't1', type: 'x' },
      ordersSigner(randomBytes(32).toString('hex')),
    );
    expect(await problem(wrong)).toMatchObject({ status: 401, code: 'ERR_SIGNATURE_INVALID' });

    // A replay of a valid request, caught by the nonce stored in Redis under the gateway's prefix.
    const target = `${gw.url}/internal/events`;
    const headers = { 'content-type': 'application/json' };
    const signed = ordersSigner().sign({
      method: 'POST',
      url: target,
      headers,
      body: new TextEncoder().encode(body),
    });
    expect((await fetch(target, { method: 'POST', headers: { ...headers, ...signed }, body })).status).toBe(
      202,
    );
    const replay = await fetch(target, { method: 'POST', headers: { ...headers, ...signed }, body });
    expect(await problem(replay)).toMatchObject({ status: 401, code: 'ERR_NONCE_REPLAYED' });
    expect((await redis.keys(`${redisPrefix}nonce:*`)).length).toBeGreaterThanOrEqual(1);
  });

  it('keeps stream tokens and connection limits on Redis', async () => {
    const jwt = await mint(idp.privateKey, { sub: 'u3', tenant: 't1' });
    const token = await issueStreamToken(gw.url, jwt);
    expect(await redis.keys(`${redisPrefix}st:*`)).toHaveLength(1);
    const first = await openStream(`${gw.url}/events/stream?token=${token}`);
    await first.waitForEvents(1, 'connected');
    const second = await openStream(`${gw.url}/events/stream`, { authorization: `Bearer ${jwt}` });
    await second.waitForEvents(1, 'connected');
    // GATEWAY_CONNECTIONS_PER_USER=2, counted in Redis.
    expect(await redis.zcard(`${redisPrefix}conn:u:{t1}:u3`)).toBe(2);
    const third = await openStream(`${gw.url}/events/stream`, { authorization: `Bearer ${jwt}` });
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body)).toMatchObject({ code: 'ERR_GATEWAY_CONNECTION_LIMIT', limit: 'user' });
    first.close();
    second.close();
  });

  it('signs proxied /api/* requests with GATEWAY_SIGNING_KEY for the upstream', async () => {
    const res = await fetch(`${gw.url}/api/orders/1?x=1`, {
      headers: {
        authorization: `Bearer ${await mint(idp.privateKey, { sub: 'u4', tenant: 't1' })}`,
        'x-tenant-id': 'forged',
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      service: 'gateway',
      keyId: 'gw-1',
      tenantId: 't1',
      userId: 'u4',
    });
  });

  it('signs proxied bodies up to API_UPSTREAM_MAX_BODY_BYTES and refuses larger ones with 413', async () => {
    const authorization = `Bearer ${await mint(idp.privateKey, { sub: 'u4', tenant: 't1' })}`;
    const post = (body: string) =>
      fetch(`${gw.url}/api/orders`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', 'idempotency-key': 'k-1' },
        body,
      });
    const fits = await post(JSON.stringify({ note: 'x'.repeat(53) })); // 64 bytes
    expect(fits.status).toBe(200);
    expect(await fits.json()).toMatchObject({ service: 'gateway', idempotencyKey: 'k-1' });
    const over = await post(JSON.stringify({ note: 'x'.repeat(54) })); // 65 bytes
    expect(await problem(over)).toEqual({
      status: 413,
      type: 'application/problem+json; charset=utf-8',
      code: 'ERR_GATEWAY_BODY_TOO_LARGE',
    });
  });

  it('serves no demo page and no development sign-in', async () => {
    expect((await fetch(`${gw.url}/demo/`)).status).toBe(404);
    const signIn = await fetch(`${gw.url}/demo/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u1', tenantId: 't1' }),
    });
    expect(signIn.status).toBe(404);
  });
});

describe('startGatewayFromEnv in production, with static keys', () => {
  it('starts under the production checks and verifies with JWT_PUBLIC_KEYS', async () => {
    const metricsToken = randomBytes(32).toString('base64url');
    const gw = await startGatewayFromEnv(
      {
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        NATS_URL: natsUrl,
        REDIS_URL: redisUrl,
        GATEWAY_STREAM: streams[1],
        GATEWAY_SUBJECT_PREFIX: `gwprods${suffix}`,
        GATEWAY_REDIS_PREFIX: `${redisPrefix}s:`,
        LOG_LEVEL: 'warn',
        CORS_ORIGINS: 'https://app.example',
        METRICS_TOKEN: metricsToken,
        // A PEM as env files carry it, on one line.
        JWT_PUBLIC_KEYS: idp.publicKey
          .export({ type: 'spki', format: 'pem' })
          .toString()
          .replace(/\n/g, '\\n'),
        JWT_ISSUER: 'https://id.example',
        JWT_AUDIENCE: 'gateway',
        SERVICE_KEYS: JSON.stringify([
          { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: ordersSecret },
        ]),
      },
      { handleSignals: false },
    );
    started.push(gw);
    expect(gw.config.production).toBe(true);
    const stream = await openStream(`${gw.url}/events/stream`, {
      authorization: `Bearer ${await mint(idp.privateKey, { sub: 'u1', tenant: 't2' }, null)}`,
      origin: 'https://app.example',
    });
    expect(stream.status).toBe(200);
    expect(stream.headers['access-control-allow-origin']).toBe('https://app.example');
    await stream.waitForEvents(1, 'connected');
    const forged = await openStream(`${gw.url}/events/stream`, {
      authorization: `Bearer ${await mint(attacker.privateKey, { sub: 'u1', tenant: 't2' }, null)}`,
    });
    expect(forged.status).toBe(401);
    expect((await publish(gw.url, { tenantId: 't2', type: 'hello', data: 1 })).status).toBe(202);
    await stream.waitForEvents(1, 'hello');
    stream.close();
    // No proxy without API_UPSTREAM_URL, and /metrics behind its token.
    expect((await fetch(`${gw.url}/api/x`)).status).toBe(404);
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${gw.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(await metrics.text()).toContain('sse_connections_active');
  });
});
