import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createRequestSigner, createServiceTokenSigner, createSigningKey } from '@interlink/auth';
import { combineSigners, createServiceClient, legacySigner, serviceTokenSigner } from '@interlink/client';

// Service tokens: one minting key per calling service (kept apart from user keys), one audience
// per target. The target verifies with createServiceTokenVerifier({ keys: [{ kid, key: publicKey }],
// issuer, audience: 'ticket-service' }).
const { privateKey } = generateKeyPairSync('ed25519');
const mint = createServiceTokenSigner({
  service: 'order-service',
  issuer: 'interlink-services',
  audience: 'interlink-platform',
  kid: 'order-svc-1',
  alg: 'EdDSA',
  key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
  ttlSeconds: 60,
});
const tickets = createServiceClient({
  service: 'ticket-service',
  baseUrl: 'http://127.0.0.1:3004',
  signer: serviceTokenSigner({ mint, audience: 'ticket-service' }),
});

// A target still on seed 001's HMAC: send the canonical signature and the seed headers together,
// so it keeps working before and after it switches to RFC 9421; drop the legacy part afterwards.
// Both secrets come from configuration (>= 32 bytes, or the signers refuse them).
const secret = process.env.INTERNAL_SECRET ?? randomBytes(32).toString('base64url');
const signingSecret = process.env.SIGNING_SECRET ?? randomBytes(32).toString('base64url');
const integrations = createServiceClient({
  service: 'integration-service',
  baseUrl: 'http://127.0.0.1:3001',
  signer: combineSigners(
    createRequestSigner({
      key: createSigningKey({ keyId: 'order-1', alg: 'hmac-sha256', secret: signingSecret }),
    }),
    legacySigner({ scheme: 'seed-001', service: 'order-service', secret }),
  ),
});

await tickets.close();
await integrations.close();
