// Needs NATS (NATS_URL) and Redis (REDIS_URL): type-checked only by the packaging test.
const jwks = auth.createJwksKeySource({ url: 'https://auth.example.com/.well-known/jwks.json' });
const [issuer, audience] = ['https://auth.example.com', 'interlink-api'];
const secret = process.env.GATEWAY_SIGNING_SECRET ?? ''; // 32+ bytes from your secret store
const serviceKeyring = auth.createKeyring([]); // the RFC 9421 keys of the services that publish
const permissionMap = { 'order-service': ['events:publish'] };
const key = auth.createSigningKey({ keyId: 'gateway-1', alg: 'hmac-sha256', secret });

// #region readme
import * as auth from '@interlink/auth';
import {
  createGateway,
  createGatewayEvents,
  createRedisConnectionLimiter,
  createRedisStreamTokenStore,
  signedServiceAuthenticator,
  upstreamSigner,
  userTokenVerifier,
} from '@interlink/gateway';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const gateway = await createGateway({
  verifyUserToken: userTokenVerifier(auth.createJwtVerifier({ jwks, issuer, audience })),
  authenticateService: signedServiceAuthenticator({
    // RFC 9421 on POST /internal/events
    verify: auth.createRequestVerifier({
      keys: serviceKeyring,
      nonceStore: auth.createRedisNonceStore({ redis }),
    }),
    permissionsFor: (service) => auth.servicePermissions(permissionMap, service),
    authority: 'gateway.internal:3000', // what services sign for; without it, loopback only
  }),
  events: await createGatewayEvents({
    // a bus on NATS JetStream, read by position
    nc: await connect({ servers: process.env.NATS_URL, noAsyncTraces: true }),
    stream: 'EVENTS',
    layout: 'bus', // read what services publish with @interlink/bus
  }),
  streamTokens: createRedisStreamTokenStore({ redis }),
  connectionLimiter: createRedisConnectionLimiter({ redis, perUser: 10, perTenant: 1000 }),
  rateLimits: { redis },
  corsOrigins: ['https://app.example.com'],
  upstream: {
    // ALL /api/*: bodies read whole (up to maxBodyBytes, 1 MiB by default) and signed with their digest
    url: 'https://circl-api.internal',
    maxBodyBytes: 1024 * 1024,
    signRequest: upstreamSigner(auth.createRequestSigner({ key })),
  },
  service: { metrics: { port: 9464 } },
});
await gateway.listen({ port: 3000, host: '0.0.0.0' });
// #endregion readme
