import { Readable } from 'node:stream';
import { createLegacyVerifier, createMemoryNonceStore, type LegacyScheme } from '@interlink/auth';
import type { Principal } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import type { ServiceClient } from '../client/create-service-client.js';
import { rejection } from '../testing/rejection.test.helper.js';
import { type LegacySignerOptions, legacySigner } from './legacy-signer.js';
import { useVerifyingTarget } from './verifying-target.test.helper.js';

const SECRET = 'legacy-internal-secret-for-client-tests-0123456789';
const WRONG_SECRET = 'another-internal-secret-for-client-tests-9876543210';
const API_KEY = 'legacy-internal-api-key-for-client-tests-0123456789';
const HMAC_SCHEMES = ['seed-000', 'seed-001', 'seed-002-nonce', 'seed-internal-routes'] as const;

interface Seen {
  headers: Record<string, string | string[] | undefined>;
  principal: Principal;
  body: unknown;
}

const target = useVerifyingTarget<Seen>({
  name: 'order-service',
  method: 'POST',
  path: '/internal/orders/:id/confirm',
  auth: {
    legacy: createLegacyVerifier({
      enabled: ['seed-000', 'seed-001', 'seed-002-nonce', 'seed-internal-routes', 'seed-004-api-key'],
      secret: SECRET,
      apiKey: API_KEY,
      apiKeyService: 'legacy-caller',
      allowedServices: ['event-service'],
      // Seed 002's nonces: a replayed attempt would be refused here.
      nonceStore: createMemoryNonceStore(),
    }),
  },
  // Reached only after the auth plugin verified the legacy headers.
  record: (request) => ({
    headers: { ...request.headers },
    principal: request.principal!,
    body: request.body,
  }),
  answer: { confirmed: true },
});
const { seen } = target;
const client = (signer: LegacySignerOptions) => target.client(legacySigner(signer));

const hmac = (scheme: (typeof HMAC_SCHEMES)[number], secret = SECRET): LegacySignerOptions => ({
  scheme,
  service: 'event-service',
  secret,
});

/** A POST with a body and a query, retryable thanks to its idempotency key. */
const call = (c: ServiceClient) =>
  c.request({
    method: 'POST',
    path: '/internal/orders/o-1/confirm',
    query: { notify: 'true' },
    json: { amount: 1200 },
    idempotencyKey: true,
  });

/** The headers of a scheme that change per attempt. */
const freshHeaders: Record<(typeof HMAC_SCHEMES)[number], string[]> = {
  'seed-000': ['x-internal-timestamp', 'x-internal-signature'],
  'seed-001': ['x-request-timestamp', 'x-request-signature'],
  'seed-002-nonce': ['x-request-timestamp', 'x-request-nonce', 'x-internal-auth'],
  'seed-internal-routes': ['x-internal-timestamp', 'x-internal-signature'],
};

describe.each(HMAC_SCHEMES)('legacySigner(%s)', (scheme) => {
  it('calls a target that verifies the scheme', async () => {
    const response = await call(client(hmac(scheme)));
    expect(await response.body.json()).toEqual({ confirmed: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.principal).toMatchObject({ service: 'event-service', scheme: `legacy-${scheme}` });
    expect(seen[0]!.body).toEqual({ amount: 1200 });
  });

  it('signs each attempt of a retried call afresh, and each one verifies', async () => {
    target.failNext(1);
    const response = await call(client(hmac(scheme)));
    await response.body.dump();
    expect(response.attempts).toBe(2);
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.principal.scheme === `legacy-${scheme}`)).toBe(true);
    for (const name of freshHeaders[scheme]) {
      expect(seen[0]!.headers[name], name).toBeDefined();
      expect(seen[0]!.headers[name], name).not.toBe(seen[1]!.headers[name]);
    }
    // The same logical call: one idempotency key.
    expect(seen[0]!.headers['idempotency-key']).toBe(seen[1]!.headers['idempotency-key']);
  });

  it('a wrong secret is refused by the target with 401', async () => {
    const error = await rejection(call(client(hmac(scheme, WRONG_SECRET))));
    expect(error.code).toBe('ERR_UPSTREAM_STATUS');
    expect(error.upstream?.status).toBe(401);
    expect(error.upstream?.problem?.code).toBe('ERR_SIGNATURE_INVALID');
    expect(error.attempts).toBe(1);
    expect(seen).toHaveLength(0);
  });
});

describe('legacySigner(seed-004-api-key)', () => {
  it('sends the static key on every attempt; the target names the caller by its configuration', async () => {
    target.failNext(1);
    const response = await call(client({ scheme: 'seed-004-api-key', apiKey: API_KEY }));
    await response.body.dump();
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.principal.service)).toEqual(['legacy-caller', 'legacy-caller']);
    expect(seen[0]!.headers['x-internal-service']).toBe('true');
  });

  it('a wrong key is refused by the target with 401', async () => {
    const error = await rejection(
      call(client({ scheme: 'seed-004-api-key', apiKey: 'not-the-internal-api-key-of-this-target!' })),
    );
    expect(error.upstream?.status).toBe(401);
    expect(error.upstream?.problem?.code).toBe('ERR_SIGNATURE_INVALID');
    expect(seen).toHaveLength(0);
  });
});

describe('legacySigner refusals on the calling side', () => {
  it('seed-000 signs the body, so a streamed body is refused before anything is sent', async () => {
    const error = await rejection(
      client(hmac('seed-000')).request({
        method: 'POST',
        path: '/internal/orders/o-1/confirm',
        body: Readable.from([Buffer.from('{"amount":1}')]),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(seen).toHaveLength(0);
  });

  it.each<[LegacyScheme, LegacySignerOptions]>([
    ['seed-001', { scheme: 'seed-001', service: 'event-service', secret: 'short' }],
    ['seed-004-api-key', { scheme: 'seed-004-api-key', apiKey: 'change-me' }],
  ])('%s: a weak secret is refused when the signer is made', (_scheme, options) => {
    expect(() => legacySigner(options)).toThrow(expect.objectContaining({ code: 'ERR_AUTH_CONFIG' }));
  });
});
