import { generateKeyPairSync } from 'node:crypto';
import { createServiceTokenSigner, createServiceTokenVerifier } from '@interlink/auth';
import type { Principal } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { rejection } from '../testing/rejection.test.helper.js';
import { type ServiceTokenRequestSignerOptions, serviceTokenSigner } from './service-token-signer.js';
import { useVerifyingTarget } from './verifying-target.test.helper.js';

const ISSUER = 'interlink-services';
const KID = 'event-service-1';
const pem = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
  key.export({ type: 'pkcs8', format: 'pem' }) as string;
const eventKeys = generateKeyPairSync('ed25519');
const strangerKeys = generateKeyPairSync('ed25519');

function mintWith(privatePem: string) {
  return createServiceTokenSigner({
    service: 'event-service',
    issuer: ISSUER,
    audience: 'interlink-platform',
    kid: KID,
    alg: 'EdDSA',
    key: privatePem,
    ttlSeconds: 60,
  });
}

interface Seen {
  token: string;
  principal: Principal;
}

const target = useVerifyingTarget<Seen>({
  name: 'ticket-service',
  method: 'GET',
  path: '/internal/tickets/:id/status',
  auth: {
    // The receiver holds only the caller's public key, and accepts tokens for itself alone.
    serviceTokens: createServiceTokenVerifier({
      keys: [{ kid: KID, key: eventKeys.publicKey }],
      issuer: ISSUER,
      audience: 'ticket-service',
      // Every attempt's token is verified from scratch, not served from the verified-token cache.
      cacheSize: 0,
    }),
  },
  record(request) {
    // Reached only after the auth plugin verified the token.
    const raw = request.headers['x-service-token'] ?? request.headers.authorization?.replace(/^Bearer /, '');
    return { token: String(raw), principal: request.principal! };
  },
  answer: { status: 'active' },
});
const { seen } = target;
const client = (signer: Partial<ServiceTokenRequestSignerOptions> = {}) =>
  target.client(
    serviceTokenSigner({ mint: mintWith(pem(eventKeys.privateKey)), audience: 'ticket-service', ...signer }),
  );

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('serviceTokenSigner', () => {
  it('calls with a service token for the target, carrying the call tenant and user', async () => {
    const answer = await client().json({
      path: '/internal/tickets/t-1/status',
      tenantId: 'tenant-a',
      userId: 'user-1',
    });
    expect(answer).toEqual({ status: 'active' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.principal).toMatchObject({
      kind: 'service',
      service: 'event-service',
      scheme: 'service-token',
      tenantId: 'tenant-a',
      userId: 'user-1',
    });
    const claims = claimsOf(seen[0]!.token);
    expect(claims.aud).toBe('ticket-service');
    expect((claims.exp as number) - (claims.iat as number)).toBe(60);
  });

  it('mints a fresh token for each attempt of a retried call, and each one verifies', async () => {
    target.failNext(1);
    const response = await client().request({ path: '/internal/tickets/t-1/status' });
    await response.body.dump();
    expect(response.attempts).toBe(2);
    // Both attempts reached the handler, so the plugin verified both tokens.
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.principal.service === 'event-service')).toBe(true);
    expect(seen[0]!.token).not.toBe(seen[1]!.token);
    const jtis = seen.map((s) => claimsOf(s.token).jti);
    expect(new Set(jtis).size).toBe(2);
    expect(seen.map((s) => s.principal.tokenId)).toEqual(jtis);
  });

  it('a token signed with a key the target does not know is refused with 401, and not retried', async () => {
    const error = await rejection(
      client({ mint: mintWith(pem(strangerKeys.privateKey)) }).json({ path: '/internal/tickets/t-1/status' }),
    );
    expect(error.code).toBe('ERR_UPSTREAM_STATUS');
    expect(error.upstream?.status).toBe(401);
    expect(error.upstream?.problem?.code).toBe('ERR_JWT_SIGNATURE');
    expect(error.attempts).toBe(1);
    expect(seen).toHaveLength(0);
  });

  it('a token for another audience is refused by the target', async () => {
    const error = await rejection(
      client({ audience: 'payment-service' }).json({ path: '/internal/tickets/t-1/status' }),
    );
    expect(error.upstream?.status).toBe(401);
    expect(error.upstream?.problem?.code).toBe('ERR_JWT_AUDIENCE');
    expect(seen).toHaveLength(0);
  });

  it('can send the token as a Bearer authorization instead', async () => {
    await client({ header: 'authorization' }).json({ path: '/internal/tickets/t-1/status' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.principal.scheme).toBe('service-token');
    expect(claimsOf(seen[0]!.token).sub).toBe('event-service');
  });
});
