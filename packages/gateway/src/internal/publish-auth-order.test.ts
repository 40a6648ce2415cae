import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createKeyring, createMemoryNonceStore, createRequestVerifier } from '@interlink/auth';
import { createTestGateways } from '@interlink/testing/gateway';
import { afterAll, describe, expect, it } from 'vitest';
import { signedServiceAuthenticator } from '../auth/auth-adapters.js';
import { createServiceTokenAuthenticator } from '../auth/service-token-authenticator.js';
import type { AuthenticateService } from './publish-route.js';

const gateways = createTestGateways();
afterAll(async () => {
  await gateways.close();
});

const tokens = {
  orders: randomBytes(32).toString('base64url'),
  billing: randomBytes(32).toString('base64url'),
};
const byToken: AuthenticateService = async (request, readBody) => {
  const service = request.headers.authorization === `Bearer ${tokens.billing}` ? 'billing' : 'orders';
  return createServiceTokenAuthenticator({
    token: tokens[service],
    service,
    permissions: ['events:publish'],
  })(request, readBody);
};

/**
 * Sends the head of a POST and a first chunk of its body, never the rest: the answer can only come
 * before the body was read to its end.
 */
function postUnfinished(url: string, headers: Record<string, string>, declaredLength: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      `${url}/internal/events`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': declaredLength, ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
          request.destroy();
        });
      },
    );
    request.on('error', reject);
    request.write('{"tenantId": not json at all');
  });
}

describe('POST /internal/events authenticates before it reads or parses a body', () => {
  it('answers an unauthenticated body that would not parse with 401, not 400', async () => {
    const gw = await gateways.start({ authenticateService: byToken });
    const malformed = await fetch(`${gw.url}/internal/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: '{"tenantId": not json',
    });
    expect(malformed.status).toBe(401);
    // Authenticated, the same body reaches the parser.
    const parsed = await fetch(`${gw.url}/internal/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.orders}`, 'content-type': 'application/json' },
      body: '{"tenantId": not json',
    });
    expect(parsed.status).toBe(400);
    expect(((await parsed.json()) as { code: string }).code).toBe('ERR_MALFORMED_BODY');
  });

  it('answers a huge unauthenticated body (never sent in full) with 401 before reading it', async () => {
    const gw = await gateways.start({ authenticateService: byToken });
    const answer = await postUnfinished(gw.url, { authorization: 'Bearer wrong' }, 50_000_000);
    expect(answer.status).toBe(401);
  });

  it('refuses an unsigned request before its body is read when services sign (RFC 9421)', async () => {
    const gw = await gateways.start({
      authenticateService: signedServiceAuthenticator({
        verify: createRequestVerifier({
          keys: createKeyring([
            { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: randomBytes(32) },
          ]),
          nonceStore: createMemoryNonceStore(),
        }),
        permissionsFor: () => ['events:publish'],
      }),
    });
    const answer = await postUnfinished(gw.url, {}, 100_000);
    expect(answer.status).toBe(401);
    // Signed, the body is read (bounded by the route's limit) before anything else.
    const oversized = await postUnfinished(
      gw.url,
      { signature: 'sig1=:AAAA:', 'signature-input': 'sig1=("@method");tag="interlink"' },
      50_000_000,
    );
    expect(oversized.status).toBe(413);
    expect(JSON.parse(oversized.body).code).toBe('ERR_BODY_TOO_LARGE');
  });

  it('is rate limited per calling service: 429 with retry-after, other services unaffected', async () => {
    const gw = await gateways.start({ authenticateService: byToken, rateLimits: { publishPerService: 2 } });
    const publish = (service: keyof typeof tokens) =>
      fetch(`${gw.url}/internal/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[service]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: 't1', type: 'x', data: {} }),
      });
    expect((await publish('orders')).status).toBe(202);
    expect((await publish('orders')).status).toBe(202);
    const limited = await publish('orders');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { code: string }).code).toBe('ERR_RATE_LIMITED');
    expect((await publish('billing')).status).toBe(202);
  });
});
