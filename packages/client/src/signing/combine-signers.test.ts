import {
  createKeyring,
  createLegacyVerifier,
  createMemoryNonceStore,
  createRequestSigner,
  createRequestVerifier,
  createServiceTokenSigner,
  createServiceTokenVerifier,
  createSigningKey,
} from '@interlink/auth';
import { describe, expect, it } from 'vitest';
import { rejection } from '../testing/rejection.test.helper.js';
import { combineSigners } from './combine-signers.js';
import { legacySigner } from './legacy-signer.js';
import type { RequestSigner } from './request-signer.js';
import { serviceTokenSigner } from './service-token-signer.js';
import { useVerifyingTarget } from './verifying-target.test.helper.js';

const RFC_SECRET = 'rfc9421-secret-of-event-service-for-client-tests';
const TOKEN_SECRET = 'service-token-secret-of-event-service-for-tests';
const LEGACY_SECRET = 'legacy-internal-secret-for-combined-signer-tests';

/** What the target verified on one attempt, by each scheme independently. */
interface Verified {
  rfc9421: { service: string; nonce: string; tenantId?: string } | string;
  token: { service?: string; tenantId?: string; tokenId?: string } | string;
  legacy: { service?: string; scheme?: string } | string;
}

const rfc9421 = () =>
  createRequestSigner({
    key: createSigningKey({ keyId: 'event-1', alg: 'hmac-sha256', secret: RFC_SECRET }),
  });
const token = () =>
  serviceTokenSigner({
    mint: createServiceTokenSigner({
      service: 'event-service',
      issuer: 'interlink-services',
      audience: 'interlink-platform',
      kid: 'event-token-1',
      alg: 'HS256',
      key: TOKEN_SECRET,
    }),
    audience: 'ticket-service',
  });

// A target in the middle of a migration: it checks every scheme on its own, to show that each
// credential of a combined signer verifies (auth's plugin would stop at the first one present).
const signatures = createRequestVerifier({
  keys: createKeyring([
    { keyId: 'event-1', service: 'event-service', alg: 'hmac-sha256', secret: RFC_SECRET },
  ]),
  nonceStore: createMemoryNonceStore(),
});
const tokens = createServiceTokenVerifier({
  keys: [{ kid: 'event-token-1', key: TOKEN_SECRET, secret: true }],
  issuer: 'interlink-services',
  audience: 'ticket-service',
  cacheSize: 0,
});
const legacy = createLegacyVerifier({
  enabled: ['seed-001'],
  secret: LEGACY_SECRET,
  allowedServices: ['event-service'],
});
const reason = (e: unknown) => (e as { code?: string }).code ?? 'error';

const target = useVerifyingTarget<Verified>({
  name: 'ticket-service',
  method: 'GET',
  path: '/internal/tickets/:id',
  async record(request) {
    const signable = { method: request.method, url: request.url, headers: request.headers };
    const header = request.headers['x-service-token'];
    return {
      rfc9421: await signatures(signable).then(
        ({ service, nonce, tenantId }) => ({
          service,
          nonce,
          ...(tenantId ? { tenantId } : {}),
        }),
        reason,
      ),
      token:
        typeof header === 'string'
          ? await tokens.verify(header).then(({ principal }) => principal, reason)
          : 'absent',
      legacy: await legacy(signable).then((p) => p ?? 'absent', reason),
    };
  },
  answer: { ok: true },
});
const { seen, client } = target;

describe('combineSigners', () => {
  it('RFC 9421 plus a service token: each attempt carries both, fresh, and both verify', async () => {
    target.failNext(1);
    const response = await client(combineSigners(rfc9421(), token())).request({
      path: '/internal/tickets/t-1',
      tenantId: 'tenant-a',
    });
    await response.body.dump();
    expect(seen).toHaveLength(2);
    for (const attempt of seen) {
      expect(attempt.rfc9421).toMatchObject({ service: 'event-service', tenantId: 'tenant-a' });
      expect(attempt.token).toMatchObject({ service: 'event-service', tenantId: 'tenant-a' });
      expect(attempt.legacy).toBe('absent');
    }
    const [first, second] = seen as [Verified, Verified];
    expect((first.rfc9421 as { nonce: string }).nonce).not.toBe((second.rfc9421 as { nonce: string }).nonce);
    expect((first.token as { tokenId: string }).tokenId).not.toBe(
      (second.token as { tokenId: string }).tokenId,
    );
  });

  it('RFC 9421 plus a legacy scheme, one of them asynchronous: both verify', async () => {
    const legacyPart = legacySigner({ scheme: 'seed-001', service: 'event-service', secret: LEGACY_SECRET });
    const asyncLegacy: RequestSigner = { sign: async (request) => legacyPart.sign(request) };
    await client(combineSigners(asyncLegacy, rfc9421())).json({ path: '/internal/tickets/t-1' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.rfc9421).toMatchObject({ service: 'event-service' });
    expect(seen[0]!.legacy).toMatchObject({ service: 'event-service', scheme: 'legacy-seed-001' });
    expect(seen[0]!.token).toBe('absent');
  });

  it('refuses two signers that write the same header, sending nothing', async () => {
    const options = { service: 'event-service', secret: LEGACY_SECRET } as const;
    const error = await rejection(
      client(
        combineSigners(
          legacySigner({ scheme: 'seed-000', ...options }),
          legacySigner({ scheme: 'seed-internal-routes', ...options }),
        ),
      ).json({ path: '/internal/tickets/t-1' }),
    );
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(seen).toHaveLength(0);
  });
});
