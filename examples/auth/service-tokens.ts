import { generateKeyPairSync } from 'node:crypto';
import { authPlugin, createServiceTokenSigner, createServiceTokenVerifier } from '@interlink/auth';
import { createService } from '@interlink/core';

// Keys separate from user keys: one Ed25519 pair per calling service.
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' });
const [issuer, audience] = ['interlink-services', 'integration-service'];

// The receiver.
const integration = createService({ name: 'integration-service', profile: 'internal', logLevel: 'warn' });
await integration.app.register(authPlugin, {
  serviceTokens: createServiceTokenVerifier({
    keys: [{ kid: 'svc-ed-1', key: publicKey }],
    issuer,
    audience,
  }),
  servicePermissions: { 'event-service': ['sync:events'] },
});
integration.app.get(
  '/sync/status',
  { config: { auth: 'service', permission: 'sync:events' } },
  async (request) => ({
    caller: request.principal.service, // typed from config.auth: a ServicePrincipal, always set
  }),
);
const url = new URL('/sync/status', await integration.listen({ port: 0, handleSignals: false }));

// #region readme
const mint = createServiceTokenSigner({
  service: 'event-service',
  issuer: 'interlink-services',
  audience: 'integration-service',
  kid: 'svc-ed-1',
  alg: 'EdDSA',
  key: privatePem, // keys separate from user keys; ttl <= 300 s
});
const response = await fetch(url, { headers: { 'x-service-token': mint({ tenantId: 'tenant-a' }) } });
// receiver: authPlugin({ serviceTokens: createServiceTokenVerifier({ keys: [{ kid: 'svc-ed-1', key: publicKey }], issuer, audience }) })
// #endregion readme

console.log(response.status, await response.json()); // 200 { caller: 'event-service' }
await integration.close();
