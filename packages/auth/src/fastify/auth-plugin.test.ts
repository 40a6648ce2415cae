import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger, createService, currentContext, type Service } from '@interlink/core';
import { openRedisScratch } from '@interlink/testing';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../errors/auth-error.js';
import { createJwtVerifier } from '../jwt/verify-jwt.js';
import { signLegacy } from '../legacy/sign-legacy.js';
import { createLegacyVerifier } from '../legacy/verify-legacy.js';
import { createAuthMetrics } from '../metrics/auth-metrics.js';
import { SEED_001_SERVICE_PERMISSIONS } from '../presets/seed-service-permissions.js';
import { createRedisNonceStore } from '../replay/redis-nonce-store.js';
import { createServiceTokenSigner } from '../service-tokens/sign-service-token.js';
import { createServiceTokenVerifier } from '../service-tokens/verify-service-token.js';
import { createContentDigest } from '../signatures/content-digest.js';
import type { SignableRequest } from '../signatures/http-message.js';
import { signRequest } from '../signatures/sign-request.js';
import { createKeyring, createSigningKey } from '../signatures/signature-keys.js';
import { createRequestVerifier } from '../signatures/verify-request.js';
import { authPlugin, loopbackBinding } from './auth-plugin.js';

const scratch = openRedisScratch('auth-test-plugin-');
const { redis, prefix } = scratch;
const userSecret = randomBytes(32);
const eventSecret = randomBytes(32);
const notifySecret = randomBytes(32);
const serviceTokenSecret = randomBytes(32);
const eventKey = createSigningKey({ keyId: 'event-1', alg: 'hmac-sha256', secret: eventSecret });
const notifyKey = createSigningKey({ keyId: 'notify-1', alg: 'hmac-sha256', secret: notifySecret });
let service: Service;

/** The user-token verifier of every service here: the HS256 secret `u1`, issuer `auth`, audience `api`. */
const userVerifier = () =>
  createJwtVerifier({
    keys: [{ kid: 'u1', key: userSecret, secret: true }],
    issuer: 'auth',
    audience: 'api',
  });

/** payment-service's service tokens for this service. */
const signServiceToken = createServiceTokenSigner({
  service: 'payment-service',
  issuer: 'services',
  audience: 'integration-service',
  kid: 's1',
  alg: 'HS256',
  key: serviceTokenSecret,
});

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function userToken(claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'u1' })}.${b64({
    sub: 'user-1',
    tenant_id: 'tenant-a',
    iss: 'auth',
    aud: 'api',
    iat: now,
    exp: now + 300,
    permissions: ['tickets:read'],
    ...claims,
  })}`;
  return `${input}.${createHmac('sha256', userSecret).update(input).digest('base64url')}`;
}

beforeAll(async () => {
  service = createService({ name: 'integration-service', logLevel: 'silent', helmet: false });
  await service.app.register(authPlugin, {
    users: userVerifier(),
    serviceTokens: createServiceTokenVerifier({
      keys: [{ kid: 's1', key: serviceTokenSecret, secret: true }],
      issuer: 'services',
      audience: 'integration-service',
    }),
    signatures: createRequestVerifier({
      keys: createKeyring([
        { keyId: 'event-1', service: 'event-service', alg: 'hmac-sha256', secret: eventSecret },
        { keyId: 'notify-1', service: 'notification-service', alg: 'hmac-sha256', secret: notifySecret },
      ]),
      nonceStore: createRedisNonceStore({ redis, prefix, timeoutMs: 10_000 }),
      // The authority callers address this service by (inject's requests say localhost:80).
      authority: 'localhost:80',
    }),
    servicePermissions: SEED_001_SERVICE_PERMISSIONS,
  });
  const whoami = async () => {
    const ctx = currentContext();
    return { principal: ctx?.principal, tenantId: ctx?.tenantId, userId: ctx?.userId };
  };
  service.app.get('/public', async () => ({ ok: true }));
  service.app.get('/tickets', { config: { auth: 'user', permission: 'tickets:read' } }, whoami);
  service.app.get('/admin', { config: { auth: 'user', permission: 'tickets:delete' } }, whoami);
  service.app.post('/sync/events', { config: { auth: 'service', permission: 'sync:events' } }, whoami);
  service.app.post(
    '/webhooks/receive',
    { config: { auth: ['user', 'service'], permission: 'webhooks:receive' } },
    whoami,
  );
  await service.app.ready();
});

afterAll(async () => {
  await service.close();
  await scratch.close();
});

/** A POST of `{}` with `headers` and no RFC 9421 signature unless they carry one. */
function postEmptyJson(url: string, headers: Record<string, string>) {
  return service.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/json' },
    payload: '{}',
  });
}

function signedInject(path: string, body: unknown, key = eventKey, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  const request: SignableRequest = {
    method: 'POST',
    url: path,
    headers: { host: 'localhost:80', 'content-type': 'application/json', ...headers },
    body: payload,
  };
  return {
    method: 'POST' as const,
    url: path,
    headers: { ...request.headers, ...signRequest(request, { key }) },
    payload,
  };
}

describe('authPlugin', () => {
  it('leaves routes without auth alone', async () => {
    expect((await service.app.inject({ url: '/public' })).statusCode).toBe(200);
  });

  it('puts the user principal into the request context', async () => {
    const res = await service.app.inject({
      url: '/tickets',
      headers: { authorization: `Bearer ${userToken()}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      principal: { kind: 'user', userId: 'user-1', tenantId: 'tenant-a', scheme: 'jwt' },
      tenantId: 'tenant-a',
      userId: 'user-1',
    });
  });

  it('takes the tenant from the token, never from X-Tenant-ID (finding #4)', async () => {
    const res = await service.app.inject({
      url: '/tickets',
      headers: { authorization: `Bearer ${userToken()}`, 'x-tenant-id': 'tenant-b', 'x-user-id': 'admin' },
    });
    expect(res.json()).toMatchObject({ tenantId: 'tenant-a', userId: 'user-1' });
  });

  it('401 problem with WWW-Authenticate and a stable code, without a token', async () => {
    const res = await service.app.inject({ url: '/tickets' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.json()).toMatchObject({
      status: 401,
      code: 'ERR_JWT_MISSING',
      type: 'urn:interlink:error:ERR_JWT_MISSING',
    });
  });

  it('401 ERR_JWT_AUDIENCE for a token for another audience; the token is not echoed', async () => {
    const token = userToken({ aud: 'other' });
    const res = await service.app.inject({ url: '/tickets', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ERR_JWT_AUDIENCE');
    expect(res.body).not.toContain(token.split('.')[1]);
  });

  it('403 ERR_PERMISSION_DENIED when the user lacks the permission', async () => {
    const res = await service.app.inject({
      url: '/admin',
      headers: { authorization: `Bearer ${userToken()}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'ERR_PERMISSION_DENIED', permission: 'tickets:delete' });
  });

  it('accepts an RFC 9421 signed request from an allowed service, with covered tenant and user', async () => {
    const res = await service.app.inject(
      signedInject('/sync/events', { n: 1 }, eventKey, { 'x-tenant-id': 'tenant-a', 'x-user-id': 'user-9' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      principal: { kind: 'service', service: 'event-service', scheme: 'rfc9421' },
      tenantId: 'tenant-a',
      userId: 'user-9',
    });
  });

  it('401 ERR_DIGEST_MISMATCH when the body was changed in flight', async () => {
    const req = signedInject('/sync/events', { amount: 1 });
    const res = await service.app.inject({ ...req, payload: JSON.stringify({ amount: 1000 }) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Signature /);
    expect(res.json().code).toBe('ERR_DIGEST_MISMATCH');
  });

  it('401 ERR_NONCE_REPLAYED on a replay', async () => {
    const req = signedInject('/sync/events', { n: 2 });
    expect((await service.app.inject(req)).statusCode).toBe(200);
    const replay = await service.app.inject(req);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('ERR_NONCE_REPLAYED');
  });

  it("403 by seed 001's map: notification-service may not sync events", async () => {
    const res = await service.app.inject(signedInject('/sync/events', { n: 3 }, notifyKey));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('ERR_PERMISSION_DENIED');
  });

  it('a bare service-name header, or the static API key of seed 004, is no identity by default: 401 (finding #15)', async () => {
    const res = await postEmptyJson('/sync/events', {
      'x-internal-service': 'true',
      'x-internal-api-key': 'the-shared-internal-api-key-of-seed-004',
      'x-service-name': 'event-service',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ERR_SIGNATURE_MISSING');
  });

  it('temp-signature is no credential (finding #12)', async () => {
    const res = await postEmptyJson('/sync/events', {
      'x-internal-service': 'event-service',
      'x-internal-timestamp': String(Date.now()),
      'x-internal-signature': 'temp-signature',
    });
    expect(res.statusCode).toBe(401);
  });

  it('accepts a service token in x-service-token, with webhooks:* covering webhooks:receive', async () => {
    const res = await postEmptyJson('/webhooks/receive', { 'x-service-token': signServiceToken() });
    expect(res.statusCode).toBe(200);
    expect(res.json().principal).toMatchObject({
      kind: 'service',
      service: 'payment-service',
      scheme: 'service-token',
    });
  });

  it('accepts a service token as Authorization: Bearer too (typ service+jwt), and not on a user-only route', async () => {
    const token = signServiceToken();
    const res = await postEmptyJson('/webhooks/receive', { authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().principal.service).toBe('payment-service');
    const userOnly = await service.app.inject({
      url: '/tickets',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(userOnly.statusCode).toBe(401);
    // The user verifier does not even hold service keys: refused before any type check.
    expect(userOnly.json().code).toBe('ERR_JWT_UNKNOWN_KID');
  });

  it('a body swapped into a signed GET under another content type is refused, not treated as empty', async () => {
    const request: SignableRequest = {
      method: 'POST',
      url: '/sync/events',
      headers: { host: 'localhost:80' },
    };
    const signed = signRequest(request, { key: eventKey });
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await service.app.inject({
        method: 'POST',
        url: '/sync/events',
        headers: { host: 'localhost:80', ...signed, 'content-type': contentType },
        payload: 'amount=1000',
      });
      expect(res.statusCode, contentType).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, contentType).toBeLessThan(500);
      if (res.statusCode === 401)
        expect(res.json().code, contentType).toMatch(/ERR_SIGNATURE_COVERAGE|ERR_DIGEST_MISMATCH/);
    }
  });

  it('malformed signature headers are a 401, never a 500', async () => {
    for (const value of ['', '(', 'a=(', 'interlink=()', '=,=,', 'x=("@method");tag="interlink"']) {
      const res = await postEmptyJson('/sync/events', {
        'signature-input': value,
        signature: 'interlink=:AAAA:',
      });
      expect(res.statusCode, value).toBe(401);
    }
  });
});

describe('authPlugin: a signature is bound to its receiver', () => {
  it('a request signed for another service, replayed here with a forged Host, is refused (401 ERR_SIGNATURE_AUTHORITY)', async () => {
    // Signed by event-service for ticket-service; the attacker forwards it here unchanged, so its
    // Host still names ticket-service and the signature base would verify.
    const forTickets = signedInject('/sync/events', { n: 40 }, eventKey, { host: 'tickets.internal:8080' });
    const replayed = await service.app.inject(forTickets);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().code).toBe('ERR_SIGNATURE_AUTHORITY');
    // With this service's own Host the signature no longer matches.
    const rehosted = await service.app.inject({
      ...forTickets,
      headers: { ...forTickets.headers, host: 'localhost:80' },
    });
    expect(rehosted.json().code).toBe('ERR_SIGNATURE_INVALID');
  });

  it('without a configured authority, a loopback listener binds to its own address and port, never the Host header', async () => {
    const app = createService({ name: 'loopback-bound', logLevel: 'silent', helmet: false });
    await app.app.register(authPlugin, {
      signatures: createRequestVerifier({
        keys: createKeyring([
          { keyId: 'event-1', service: 'event-service', alg: 'hmac-sha256', secret: eventSecret },
        ]),
        nonceStore: createRedisNonceStore({ redis, prefix, timeoutMs: 10_000 }),
      }),
      servicePermissions: SEED_001_SERVICE_PERMISSIONS,
    });
    app.app.post('/sync/events', { config: { auth: 'service', permission: 'sync:events' } }, async () => ({
      ok: true,
    }));
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false }));
    try {
      const own = signedInject('/sync/events', { n: 41 }, eventKey, { host: url.host });
      expect((await rawPost(url, own.headers, own.payload)).status).toBe(200);
      // Signed for another service on this machine (another port), its Host forged to match.
      const other = `127.0.0.1:${Number(url.port) === 65535 ? 1 : Number(url.port) + 1}`;
      const stolen = signedInject('/sync/events', { n: 42 }, eventKey, { host: other });
      const refused = await rawPost(url, stolen.headers, stolen.payload);
      expect(refused.status).toBe(401);
      expect(refused.body).toContain('ERR_SIGNATURE_AUTHORITY');
      // Through inject there is no socket address to bind to: refused, not trusted.
      const injected = await app.app.inject(signedInject('/sync/events', { n: 43 }));
      expect(injected.json().code).toBe('ERR_SIGNATURE_AUTHORITY');
    } finally {
      await app.close();
    }
  });

  it('only a loopback local address binds without configuration', () => {
    expect(loopbackBinding('127.0.0.1', 3001)).toEqual(['127.0.0.1:3001', 'localhost:3001', '[::1]:3001']);
    expect(loopbackBinding('::1', 3001)).toEqual(['127.0.0.1:3001', 'localhost:3001', '[::1]:3001']);
    expect(loopbackBinding('::ffff:127.0.0.1', 80)).toContain('localhost:80');
    for (const address of ['10.1.2.3', '192.168.0.7', 'fe80::1', '::ffff:10.0.0.1', undefined]) {
      expect(loopbackBinding(address, 3001), String(address)).toBeUndefined();
    }
    expect(loopbackBinding('127.0.0.1', undefined)).toBeUndefined();
  });

  it('an invalid authority option fails at start-up', async () => {
    for (const authority of [[], '', 'https://svc.internal', 'svc.internal/x']) {
      const app = Fastify();
      const signatures = () => Promise.reject(new Error('unused'));
      await expect(app.register(authPlugin, { signatures, authority }).ready()).rejects.toMatchObject({
        code: 'ERR_AUTH_CONFIG',
      });
    }
  });
});

describe('authPlugin: signature edge cases are 401s', () => {
  it('a malformed percent-escape in a @query-param name is a 401 ERR_SIGNATURE_MALFORMED, not a 500', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = '{}';
    const res = await service.app.inject({
      method: 'POST',
      url: '/sync/events?a=1',
      headers: {
        host: 'localhost:80',
        'content-type': 'application/json',
        'content-digest': createContentDigest(Buffer.from(payload)),
        'signature-input': `interlink=("@method" "@authority" "@path" "@query" "@query-param";name="%zz" "content-digest" "content-type");created=${now};expires=${now + 60};nonce="${'n'.repeat(22)}";keyid="event-1";alg="hmac-sha256";tag="interlink"`,
        signature: `interlink=:${Buffer.alloc(32).toString('base64')}:`,
      },
      payload,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ERR_SIGNATURE_MALFORMED');
  });

  it('the deadline header is covered: one added or moved after signing is refused', async () => {
    const deadline = String(Date.now() + 60_000);
    const signed = signedInject('/sync/events', { n: 44 }, eventKey, { 'x-interlink-deadline': deadline });
    expect(signed.headers['signature-input']).toContain('"x-interlink-deadline"');
    const moved = await service.app.inject({
      ...signed,
      headers: { ...signed.headers, 'x-interlink-deadline': String(Date.now() + 3_600_000) },
    });
    expect(moved.json().code).toBe('ERR_SIGNATURE_INVALID');
    const unsigned = signedInject('/sync/events', { n: 45 });
    const added = await service.app.inject({
      ...unsigned,
      headers: { ...unsigned.headers, 'x-interlink-deadline': deadline },
    });
    expect(added.json().code).toBe('ERR_SIGNATURE_COVERAGE');
    expect((await service.app.inject(signed)).statusCode).toBe(200);
  });
});

/** A POST through a real socket, with the headers exactly as given (Host included). */
function rawPost(
  url: URL,
  headers: Record<string, string>,
  payload: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: '/sync/events', method: 'POST', headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('authPlugin logging', () => {
  it('logs the refusal code and reason, never the token', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = createService({
      name: 'log-check',
      logger: createLogger({ name: 'log-check', level: 'info', destination }),
      helmet: false,
    });
    await logged.app.register(authPlugin, {
      users: userVerifier(),
    });
    logged.app.get('/me', { config: { auth: 'user' } }, async () => ({ ok: true }));
    const token = userToken({ aud: 'someone-else' });
    const res = await logged.app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } });
    await logged.close();
    expect(res.statusCode).toBe(401);
    const log = lines.join('');
    expect(log).toContain('ERR_JWT_AUDIENCE');
    expect(log).not.toContain(token.split('.')[2]!);
    expect(log).not.toContain(token.split('.')[1]!);
  });
});

describe('authPlugin with a legacy scheme switched on', () => {
  it('accepts seed 001 callers with their mapped permissions and counts them; other schemes stay off', async () => {
    const legacySecret = randomBytes(32).toString('hex');
    const app = createService({ name: 'legacy-check', logLevel: 'silent', helmet: false });
    await app.app.register(authPlugin, {
      legacy: createLegacyVerifier({
        enabled: ['seed-001'],
        secret: legacySecret,
        allowedServices: ['event-service', 'notification-service'],
        metrics: createAuthMetrics(app.metrics.registry),
      }),
      servicePermissions: SEED_001_SERVICE_PERMISSIONS,
    });
    app.app.post('/sync/events', { config: { auth: 'service', permission: 'sync:events' } }, async () => ({
      caller: currentContext()?.principal?.service,
    }));
    const call = (service: string, scheme: 'seed-001' | 'seed-000') =>
      app.app.inject({
        method: 'POST',
        url: '/sync/events',
        headers: {
          'content-type': 'application/json',
          ...signLegacy(scheme, legacySecret, { service, method: 'POST', url: '/sync/events', body: '{}' }),
        },
        payload: '{}',
      });
    const ok = await call('event-service', 'seed-001');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ caller: 'event-service' });
    expect((await call('notification-service', 'seed-001')).statusCode).toBe(403);
    expect((await call('event-service', 'seed-000')).statusCode).toBe(401);
    const metric = await app.metrics.registry.getSingleMetricAsString('interlink_auth_legacy_accepted_total');
    expect(metric).toMatch(/interlink_auth_legacy_accepted_total\{scheme="seed-001"[^}]*\} 2/);
    await app.close();
  });
});

describe('authPlugin with a signature verifier that throws', () => {
  it('a verifier that throws rather than rejects is refused as a rejection would be: 401 problem, or 500 for a bug', async () => {
    const app = createService({ name: 'throwing-verifier', logLevel: 'silent', helmet: false });
    let thrown: unknown = new AuthError('ERR_SIGNATURE_INVALID', 'signature does not verify');
    await app.app.register(authPlugin, {
      signatures: () => {
        throw thrown;
      },
      authority: 'localhost:80',
      servicePermissions: SEED_001_SERVICE_PERMISSIONS,
    });
    app.app.post('/sync/events', { config: { auth: 'service', permission: 'sync:events' } }, async () => ({
      ok: true,
    }));
    const call = () => app.app.inject(signedInject('/sync/events', { n: 1 }));
    const refused = await call();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('ERR_SIGNATURE_INVALID');
    expect(refused.headers['www-authenticate']).toBe('Signature realm="interlink"');
    thrown = new TypeError('a bug in the verifier');
    expect((await call()).statusCode).toBe(500);
    await app.close();
  });
});
