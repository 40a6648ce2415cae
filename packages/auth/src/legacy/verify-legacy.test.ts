import { createHmac, randomBytes } from 'node:crypto';
import { openRedisScratch } from '@interlink/testing';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthMetrics } from '../metrics/auth-metrics.js';
import { createRedisNonceStore } from '../replay/redis-nonce-store.js';
import type { SignableRequest } from '../signatures/http-message.js';
import { codeOf as refusalCode } from '../testing/refusal-code.test.helper.js';
import { LEGACY_SCHEMES, type LegacyScheme } from './legacy-schemes.js';
import { signLegacy } from './sign-legacy.js';
import { createLegacyVerifier, type LegacyVerifierOptions } from './verify-legacy.js';

const scratch = openRedisScratch('auth-test-legacy-');
const { redis, prefix } = scratch;
afterAll(() => scratch.close());

const secret = randomBytes(32).toString('hex');
const apiKey = randomBytes(32).toString('hex');
const body = '{"ticketId":"t-1"}';

function verifier(enabled: readonly LegacyScheme[], extra: Partial<LegacyVerifierOptions> = {}) {
  return createLegacyVerifier({
    enabled,
    secret,
    apiKey,
    allowedServices: ['event-service', 'payment-service'],
    nonceStore: createRedisNonceStore({ redis, prefix, timeoutMs: 10_000 }),
    ...extra,
  });
}

function request(headers: Record<string, string>): SignableRequest {
  return { method: 'POST', url: '/internal/tickets?x=1', headers: { host: 'svc', ...headers }, body };
}
const signed = (scheme: LegacyScheme, service = 'event-service') =>
  request(
    signLegacy(scheme, scheme === 'seed-004-api-key' ? apiKey : secret, {
      service,
      method: 'POST',
      url: '/internal/tickets?x=1',
      body,
    }),
  );

/** A legacy verifier resolves `undefined` for a request that carries none of its credentials. */
const codeOf = (promise: Promise<unknown>) =>
  refusalCode(promise, (result) => (result === undefined ? 'no-credential' : 'accepted'));

describe('legacy schemes', () => {
  it.each(LEGACY_SCHEMES)('%s: accepted when switched on, and counted', async (scheme) => {
    const registry = new Registry();
    const v = verifier([scheme], { metrics: createAuthMetrics(registry) });
    const principal = await v(signed(scheme));
    expect(principal).toMatchObject({ kind: 'service', scheme: `legacy-${scheme}` });
    const metric = await registry.getSingleMetricAsString('interlink_auth_legacy_accepted_total');
    expect(metric).toContain(`interlink_auth_legacy_accepted_total{scheme="${scheme}"} 1`);
  });

  it.each(LEGACY_SCHEMES)('%s: no credential when its switch is off (all others on)', async (scheme) => {
    const others = LEGACY_SCHEMES.filter(
      (s) =>
        s !== scheme &&
        !(scheme === 'seed-000' && s === 'seed-internal-routes') &&
        !(scheme === 'seed-internal-routes' && s === 'seed-000'),
    );
    expect(await codeOf(verifier(others)(signed(scheme)))).toBe('no-credential');
  });

  it('seed 000 covers the body: a changed body is refused', async () => {
    const req = signed('seed-000');
    expect(await codeOf(verifier(['seed-000'])({ ...req, body: '{"ticketId":"t-2"}' }))).toBe(
      'ERR_SIGNATURE_INVALID',
    );
  });

  it('temp-signature is never accepted, with every scheme on (finding #12)', async () => {
    const all = verifier(LEGACY_SCHEMES);
    const now = String(Date.now());
    const headerSets: Record<string, string>[] = [
      {
        'x-internal-service': 'event-service',
        'x-internal-timestamp': now,
        'x-internal-signature': 'temp-signature',
      },
      {
        'x-service-name': 'event-service',
        'x-request-timestamp': now,
        'x-request-signature': 'temp-signature',
      },
      {
        'x-service-name': 'event-service',
        'x-request-timestamp': now,
        'x-request-nonce': randomBytes(16).toString('hex'),
        'x-internal-auth': 'temp-signature',
      },
    ];
    for (const headers of headerSets) {
      expect(await codeOf(all(request(headers)))).toBe('ERR_SIGNATURE_INVALID');
    }
  });

  it('malformed legacy headers are a 401 code, never a thrown TypeError (bad hex, wrong length, bad timestamp)', async () => {
    const v = verifier(['seed-000', 'seed-001']);
    const now = String(Date.now());
    const cases: [Record<string, string>, string][] = [
      [
        { 'x-internal-service': 'event-service', 'x-internal-timestamp': now, 'x-internal-signature': 'zz' },
        'ERR_SIGNATURE_MALFORMED',
      ],
      [
        {
          'x-internal-service': 'event-service',
          'x-internal-timestamp': now,
          'x-internal-signature': 'ab'.repeat(31),
        },
        'ERR_SIGNATURE_MALFORMED',
      ],
      [
        {
          'x-internal-service': 'event-service',
          'x-internal-timestamp': 'soon',
          'x-internal-signature': 'ab'.repeat(32),
        },
        'ERR_SIGNATURE_MALFORMED',
      ],
      [
        {
          'x-internal-service': 'event-service',
          'x-internal-timestamp': String(Date.now() - 301_000),
          'x-internal-signature': 'ab'.repeat(32),
        },
        'ERR_SIGNATURE_EXPIRED',
      ],
      [
        {
          'x-service-name': 'event-service',
          'x-request-timestamp': now,
          'x-request-signature': 'é'.repeat(64),
        },
        'ERR_SIGNATURE_MALFORMED',
      ],
      [
        {
          'x-internal-service': 'rogue-service',
          'x-internal-timestamp': now,
          'x-internal-signature': 'ab'.repeat(32),
        },
        'ERR_SERVICE_NOT_ALLOWED',
      ],
    ];
    for (const [headers, code] of cases)
      expect(await codeOf(v(request(headers))), JSON.stringify(headers)).toBe(code);
  });

  it("seed 002's nonces are shared: a replay at another replica is refused (finding #14)", async () => {
    const a = verifier(['seed-002-nonce']);
    const b = verifier(['seed-002-nonce']);
    const req = signed('seed-002-nonce');
    expect(await codeOf(a(req))).toBe('accepted');
    expect(await codeOf(b(req))).toBe('ERR_NONCE_REPLAYED');
  });

  it('seed 004 API key: a wrong key is refused; the scheme needs a strong key to be switched on (finding #15)', async () => {
    const v = verifier(['seed-004-api-key']);
    expect(await codeOf(v(request({ 'x-internal-service': 'true', 'x-internal-api-key': 'guess' })))).toBe(
      'ERR_SIGNATURE_INVALID',
    );
    expect(await codeOf(v(request({ 'x-internal-service': 'true' })))).toBe('ERR_SIGNATURE_MISSING');
    expect(() => verifier(['seed-004-api-key'], { apiKey: 'internal-api-key' })).toThrow(/secret|API key/);
  });

  it('refuses a weak shared secret at start-up', () => {
    expect(() => verifier(['seed-001'], { secret: 'dev-secret-change-in-production' })).toThrow(
      expect.objectContaining({ code: 'ERR_AUTH_CONFIG' }),
    );
  });

  it('seed 001 signature over the seed formula verifies (hand-computed HMAC)', async () => {
    const ts = String(Date.now());
    const sig = createHmac('sha256', secret)
      .update(`payment-service:${ts}:POST:/internal/tickets?x=1`)
      .digest('hex');
    const principal = await verifier(['seed-001'])(
      request({ 'x-service-name': 'payment-service', 'x-request-timestamp': ts, 'x-request-signature': sig }),
    );
    expect(principal?.service).toBe('payment-service');
  });
});
