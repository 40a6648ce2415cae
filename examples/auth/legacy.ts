// Needs Redis (REDIS_URL): type-checked only by the packaging test.
import {
  authPlugin,
  createAuthMetrics,
  createKeyring,
  createLegacyVerifier,
  createRedisNonceStore,
  createRequestVerifier,
} from '@interlink/auth';
import { SEED_001_SERVICE_PERMISSIONS } from '@interlink/auth/presets';
import { createService } from '@interlink/core';
import { Redis } from 'ioredis';

const INTERNAL_SERVICE_SECRET = process.env.INTERNAL_SERVICE_SECRET ?? ''; // the seeds' shared secret, 32+ bytes
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const service = createService({ name: 'integration-service', profile: 'internal' });
const { app } = service;
const { registry } = service.metrics;
const servicePermissions = SEED_001_SERVICE_PERMISSIONS;
const signatures = createRequestVerifier({
  keys: createKeyring([]), // the RFC 9421 keys of the callers that have moved already
  nonceStore: createRedisNonceStore({ redis }),
});

// #region readme
const legacy = createLegacyVerifier({
  enabled: ['seed-001', 'seed-002-nonce'], // each scheme off unless listed; temp-signature never accepted
  secret: INTERNAL_SERVICE_SECRET,
  allowedServices: ['event-service', 'payment-service'],
  nonceStore: createRedisNonceStore({ redis, prefix: 'example:legacy:' }), // seed 002's nonces, shared
  metrics: createAuthMetrics(registry), // interlink_auth_legacy_accepted_total{scheme}
});
await app.register(authPlugin, { signatures, legacy, servicePermissions }); // a signed request wins
// #endregion readme

await service.listen({ port: Number(process.env.PORT ?? 3001) });
