import { randomBytes } from 'node:crypto';
import {
  authPlugin,
  createJwtVerifier,
  createKeyring,
  createMemoryNonceStore,
  createRequestVerifier,
  createSigningKey,
  signRequest,
} from '@interlink/auth';
import { createService } from '@interlink/core';

// Keys come from configuration (core's loadConfig + Secret()); generated here to stay runnable.
const userSecret = randomBytes(32); // HS256 needs >= 32 bytes; RS256/PS256/ES256/EdDSA keys work too
const eventServiceSecret = randomBytes(32);

const service = createService({ name: 'integration-service', logLevel: 'warn' });
await service.app.register(authPlugin, {
  users: createJwtVerifier({
    keys: [{ kid: 'user-hs-1', key: userSecret, secret: true }], // or jwks: createJwksKeySource({ url })
    issuer: 'https://auth.example.com',
    audience: 'interlink-api',
  }),
  signatures: createRequestVerifier({
    keys: createKeyring([
      // several keys per service: add the new one, roll callers over, remove the old one
      { keyId: 'event-2026-11', service: 'event-service', alg: 'hmac-sha256', secret: eventServiceSecret },
    ]),
    nonceStore: createMemoryNonceStore(), // one process; createRedisNonceStore({ redis }) across replicas
    // The names callers sign for. Required unless the service listens on loopback only (then the
    // plugin binds to the address and port each request arrived on); never taken from Host.
    // authority: ['integration.internal:8080'],
  }),
  // Which calling service may do what; a service not listed is refused (ERR_SERVICE_NOT_ALLOWED).
  servicePermissions: { 'event-service': ['sync:events'], 'payment-service': ['sync:*'] },
});

service.app.post(
  '/sync/events',
  { config: { auth: 'service', permission: 'sync:events' } },
  async (request) => {
    // Typed from config.auth: a ServicePrincipal, always set; `Principal | undefined` on public routes.
    const { service: caller, tenantId } = request.principal; // tenant only from a covered, verified header
    return { caller, tenantId };
  },
);
const address = await service.listen({ port: 0, handleSignals: false });

// The caller (event-service) signs each attempt: RFC 9421 over method, authority, path, query,
// content-digest of the raw body, content-type and the identity headers it sends.
const key = createSigningKey({ keyId: 'event-2026-11', alg: 'hmac-sha256', secret: eventServiceSecret });
const url = new URL('/sync/events', address);
const body = JSON.stringify({ eventId: 'e-1' });
const headers = { host: url.host, 'content-type': 'application/json', 'x-tenant-id': 'tenant-a' };
const signed = signRequest({ method: 'POST', url, headers, body }, { key });
const response = await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body });
console.log(response.status, await response.json()); // 200 { caller: 'event-service', tenantId: 'tenant-a' }

const replay = await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body });
const problem = (await replay.json()) as { code: string };
console.log(replay.status, problem.code); // 401 ERR_NONCE_REPLAYED
await service.close();
