import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../jwt/verify-jwt.js';
import { createServiceTokenSigner } from './sign-service-token.js';
import { createServiceTokenVerifier } from './verify-service-token.js';

const serviceKeys = generateKeyPairSync('ed25519');
const userSecret = randomBytes(32);
const privatePem = serviceKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

const signer = createServiceTokenSigner({
  service: 'event-service',
  issuer: 'interlink-services',
  audience: 'integration-service',
  kid: 'svc-ed-1',
  alg: 'EdDSA',
  key: privatePem,
});
const serviceVerifier = createServiceTokenVerifier({
  keys: [{ kid: 'svc-ed-1', key: serviceKeys.publicKey }],
  issuer: 'interlink-services',
  audience: 'integration-service',
});
const userVerifier = createJwtVerifier({
  keys: [
    { kid: 'user-hs-1', key: userSecret, secret: true },
    // Even when a deployment (wrongly) gives the user verifier the service key, typ keeps them apart.
    { kid: 'svc-ed-1', key: serviceKeys.publicKey },
  ],
  issuer: ['https://auth.interlink.test', 'interlink-services'],
  audience: ['interlink-api', 'integration-service'],
});

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function userToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'user-hs-1' })}.${b64({ sub: 'event-service', tenant_id: 't', iss: 'interlink-services', aud: 'integration-service', iat: now, exp: now + 60 })}`;
  return `${input}.${createHmac('sha256', userSecret).update(input).digest('base64url')}`;
}

describe('service tokens', () => {
  it('round-trip: the verified principal is the calling service, acting for a tenant and user', async () => {
    const { principal, header } = await serviceVerifier.verify(
      signer({ tenantId: 'tenant-a', userId: 'user-1' }),
    );
    expect(header.typ).toBe('service+jwt');
    expect(principal).toMatchObject({
      kind: 'service',
      service: 'event-service',
      tenantId: 'tenant-a',
      userId: 'user-1',
      scheme: 'service-token',
    });
  });

  it('a service token is refused as a user token (ERR_JWT_TYPE)', async () => {
    await expect(userVerifier.verify(signer({ tenantId: 't', userId: 'u' }))).rejects.toMatchObject({
      code: 'ERR_JWT_TYPE',
    });
  });

  it('a user token is refused as a service token', async () => {
    const verifier = createServiceTokenVerifier({
      keys: [{ kid: 'user-hs-1', key: userSecret, secret: true }],
      issuer: 'interlink-services',
      audience: 'integration-service',
    });
    await expect(verifier.verify(userToken())).rejects.toMatchObject({ code: 'ERR_JWT_TYPE' });
  });

  it('a user key cannot mint service tokens: the service verifier does not know it', async () => {
    const forged = createServiceTokenSigner({
      service: 'payment-service',
      issuer: 'interlink-services',
      audience: 'integration-service',
      kid: 'user-hs-1',
      alg: 'HS256',
      key: userSecret,
    });
    await expect(serviceVerifier.verify(forged())).rejects.toMatchObject({ code: 'ERR_JWT_UNKNOWN_KID' });
  });

  it('lives at most 5 minutes: longer-lived tokens are refused, and cannot be minted', async () => {
    expect(() =>
      createServiceTokenSigner({
        service: 's',
        issuer: 'i',
        audience: 'a',
        kid: 'k',
        alg: 'EdDSA',
        key: privatePem,
        ttlSeconds: 301,
      }),
    ).toThrow(/ttl/);
    const { createSigner } = await import('fast-jwt');
    const now = Math.floor(Date.now() / 1000);
    const long = createSigner({
      key: privatePem,
      algorithm: 'EdDSA',
      kid: 'svc-ed-1',
      header: { alg: 'EdDSA', typ: 'service+jwt' },
    })({
      sub: 'event-service',
      iss: 'interlink-services',
      aud: 'integration-service',
      iat: now,
      exp: now + 3600,
      token_use: 'service',
    });
    await expect(serviceVerifier.verify(long)).rejects.toMatchObject({ code: 'ERR_JWT_TOO_OLD' });
  });
});
