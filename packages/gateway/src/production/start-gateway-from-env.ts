import {
  createJwksKeySource,
  createJwtVerifier,
  createRedisNonceStore,
  createRequestSigner,
  createRequestVerifier,
  type JwtKeySource,
  servicePermissions,
} from '@interlink/auth';
import type { LoadConfigOptions } from '@interlink/core';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { signedServiceAuthenticator, upstreamSigner, userTokenVerifier } from '../auth/auth-adapters.js';
import { restrictJwtAlgorithms } from '../auth/restrict-jwt-algorithms.js';
import { entityEventTypesOf } from '../config/gateway-env.js';
import {
  type GatewayProductionConfig,
  loadGatewayProductionConfig,
} from '../config/load-production-config.js';
import { createGatewayEvents } from '../events/gateway-bus.js';
import { createGateway, type Gateway } from '../gateway/create-gateway.js';
import { createRedisConnectionLimiter } from '../limits/redis-connection-limiter.js';
import { createRedisStreamTokenStore } from '../tokens/redis-stream-token-store.js';

export interface StartGatewayFromEnvOptions {
  /** Production checks; `env.NODE_ENV === 'production'` by default. */
  production?: boolean;
  /** Close gracefully on SIGTERM/SIGINT, then exit; on by default. */
  handleSignals?: boolean;
}

export interface GatewayFromEnv {
  gateway: Gateway;
  url: string;
  config: GatewayProductionConfig;
  close(): Promise<void>;
}

/**
 * Starts the production gateway configured only by environment variables
 * ({@link loadGatewayProductionConfig}): user JWTs verified by `@interlink/auth` (JWKS URL or
 * static keys), events on NATS JetStream, stream tokens, connection limits, rate limits and
 * signature nonces on Redis, `POST /internal/events` for RFC 9421-signed services of
 * `SERVICE_KEYS`, and `/api/*` proxied with a signature. No demo page and no development sign-in.
 * @throws ConfigError (`ERR_CONFIG_INVALID`) listing every bad variable, before anything connects
 */
export async function startGatewayFromEnv(
  env: LoadConfigOptions['env'] = process.env,
  options: StartGatewayFromEnvOptions = {},
): Promise<GatewayFromEnv> {
  const config = loadGatewayProductionConfig({
    env,
    ...(options.production !== undefined ? { production: options.production } : {}),
  });
  const { env: vars } = config;
  const prefix = vars.GATEWAY_REDIS_PREFIX;

  let jwks: JwtKeySource | undefined;
  if (config.jwksUrl) {
    jwks = createJwksKeySource({ url: config.jwksUrl });
    if (config.jwtAlgorithms) jwks = restrictJwtAlgorithms(jwks, config.jwtAlgorithms);
  }
  const users = createJwtVerifier({
    keys: config.jwtKeys,
    ...(jwks ? { jwks } : {}),
    issuer: config.issuers,
    audience: config.audiences,
  });

  const nc = await connect({
    servers: config.natsServers,
    maxReconnectAttempts: -1,
    name: 'interlink-gateway',
    // No stack traces captured per request: the bus's consumer pulls and info calls cost less CPU.
    noAsyncTraces: true,
  });
  const redis = new Redis(vars.REDIS_URL);
  let gateway: Gateway;
  let events: Awaited<ReturnType<typeof createGatewayEvents>> | undefined;
  try {
    events = await createGatewayEvents({
      nc,
      stream: vars.GATEWAY_STREAM,
      subjectPrefix: vars.GATEWAY_SUBJECT_PREFIX,
      layout: vars.GATEWAY_LAYOUT,
      ...(vars.GATEWAY_ENTITY_EVENT_TYPES ? { entityEventTypes: entityEventTypesOf(vars) } : {}),
    });
    gateway = await createGateway({
      verifyUserToken: userTokenVerifier(users),
      events,
      authenticateService: signedServiceAuthenticator({
        verify: createRequestVerifier({
          keys: config.serviceKeyring,
          // Shared by every replica: a signed request is accepted once across the cluster.
          nonceStore: createRedisNonceStore({ redis, prefix: `${prefix}nonce:` }),
        }),
        permissionsFor: (service) => servicePermissions(config.servicePermissions, service),
        ...(vars.GATEWAY_AUTHORITY
          ? { authority: vars.GATEWAY_AUTHORITY.split(',').map((name) => name.trim()) }
          : {}),
      }),
      streamTokens: createRedisStreamTokenStore({ redis, prefix }),
      streamTokenTtlSeconds: vars.STREAM_TOKEN_TTL_SECONDS,
      connectionLimiter: createRedisConnectionLimiter({
        redis,
        prefix,
        perUser: vars.GATEWAY_CONNECTIONS_PER_USER,
        perTenant: vars.GATEWAY_CONNECTIONS_PER_TENANT,
      }),
      maxConnections: vars.GATEWAY_MAX_CONNECTIONS,
      rateLimits: { redis, nameSpace: `${prefix}rl:` },
      subjectPrefix: vars.GATEWAY_SUBJECT_PREFIX,
      corsOrigins: config.corsOrigins,
      ...(vars.API_UPSTREAM_URL && config.signingKey
        ? {
            upstream: {
              url: vars.API_UPSTREAM_URL,
              timeoutMs: vars.API_UPSTREAM_TIMEOUT_MS,
              maxBodyBytes: vars.API_UPSTREAM_MAX_BODY_BYTES,
              signRequest: upstreamSigner(createRequestSigner({ key: config.signingKey })),
            },
          }
        : {}),
      service: {
        name: 'gateway',
        production: config.production,
        logLevel: vars.LOG_LEVEL,
        shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
        ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
        metrics: {
          ...(vars.METRICS_TOKEN ? { token: vars.METRICS_TOKEN } : {}),
          ...(vars.METRICS_PORT !== undefined ? { port: vars.METRICS_PORT } : {}),
        },
      },
    });
    // Registered first, so closed last: after the gateway and the event source stop using them.
    gateway.onClose('nats', () => nc.close());
    gateway.onClose('redis', () => redis.quit().catch(() => redis.disconnect()));
    const source = events;
    gateway.onClose('events', () => source.close());
  } catch (error) {
    await events?.close().catch(() => undefined);
    redis.disconnect();
    await nc.close().catch(() => undefined);
    throw error;
  }
  const logger = gateway.logger;
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const url = await gateway.listen({
    port: vars.PORT,
    host: vars.HOST,
    handleSignals: options.handleSignals ?? true,
  });
  return { gateway, url, config, close: () => gateway.close() };
}
