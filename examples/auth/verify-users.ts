// Needs Redis (REDIS_URL) and an identity provider's JWKS: type-checked only by the packaging test.
import {
  createAuthMetrics,
  createJwksKeySource,
  createJwtVerifier,
  createRedisRevocationStore,
} from '@interlink/auth';
import { createService } from '@interlink/core';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const service = createService({ name: 'order-service', profile: 'internal' });
const token = process.argv[2] ?? '';

// #region readme
const revocation = createRedisRevocationStore({ redis }); // jti denylist + per-user "issued before"
const users = createJwtVerifier({
  jwks: createJwksKeySource({ url: 'https://auth.example.com/.well-known/jwks.json' }),
  issuer: 'https://auth.example.com',
  audience: ['interlink-api', 'gateway'],
  revocation,
  metrics: createAuthMetrics(service.metrics.registry),
});
const { principal } = await users.verify(token); // a UserPrincipal: { kind: 'user', userId, tenantId, roles, permissions, tokenId }
await revocation.revokeTokensIssuedBefore(principal.userId, Math.floor(Date.now() / 1000) + 1); // logout everywhere
// #endregion readme

redis.disconnect();
