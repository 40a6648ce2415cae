import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { CoreError, createService, profileHeaders, type Service, type ServiceOptions } from '@interlink/core';
import type { FastifyRequest, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import type { VerifyUserToken } from '../auth/authenticate-user.js';
import { GatewayError } from '../errors/gateway-error.js';
import { gatewayProblemHandler } from '../errors/gateway-problem-handler.js';
import { PING_FRAME } from '../events/encode-frame.js';
import type { GatewayEventSource } from '../events/event-source.js';
import {
  type AuthenticateService,
  type RequestRateLimit,
  registerPublishRoute,
} from '../internal/publish-route.js';
import type { ConnectionLease, ConnectionLimiter } from '../limits/connection-limiter.js';
import { createMemoryConnectionLimiter } from '../limits/memory-connection-limiter.js';
import { createGatewayMetrics } from '../metrics/gateway-metrics.js';
import { type ProxyOptions, registerProxyRoute } from '../proxy/proxy-route.js';
import type { SseConnection } from '../stream/sse-connection.js';
import { StreamHub } from '../stream/stream-hub.js';
import { registerStreamRoute } from '../stream/stream-route.js';
import { createMemoryStreamTokenStore } from '../tokens/memory-stream-token-store.js';
import type { StreamTokenStore } from '../tokens/stream-token-store.js';
import { createStreamTokens, type StreamTokens } from '../tokens/stream-tokens.js';
import { registerTokenRoute } from '../tokens/token-route.js';

export interface GatewayRateLimits {
  /** Shared counters across instances; in-process counters without it. */
  redis?: Redis;
  /** Redis key prefix of the counters; tests use a unique one. */
  nameSpace?: string;
  windowMs?: number;
  /** Requests per IP per window on every gateway route, counted before authentication. */
  perIp?: number;
  /** `POST /events/token` per IP per window (before authentication). */
  tokenPerIp?: number;
  /** `POST /events/token` per user per window (after authentication). */
  tokenPerUser?: number;
  /** `ALL /api/*` requests per user per window (after authentication). */
  apiPerUser?: number;
  /** `POST /internal/events` per calling service per window (after authentication); 6,000 by default. */
  publishPerService?: number;
}

export interface GatewayOptions {
  /** Verifies `Authorization: Bearer` user JWTs. */
  verifyUserToken: VerifyUserToken;
  /** Where events come from: JetStream in a deployment, memory when embedded. */
  events: GatewayEventSource;
  /** Stream token storage: Redis across instances, memory (the default) for one process. */
  streamTokens?: StreamTokenStore;
  streamTokenTtlSeconds?: number;
  /** Per-user and per-tenant stream counting: Redis across instances, memory (the default) otherwise. */
  connectionLimiter?: ConnectionLimiter;
  /** Per-user and per-tenant limits for the default memory limiter. */
  limits?: { perUser?: number; perTenant?: number };
  /** Open streams this instance accepts; 10,000 by default. */
  maxConnections?: number;
  /** First subject token; `events` (seed 003) by default. */
  subjectPrefix?: string;
  /** The SSE `retry:` value in ms; seed 003's 30000 by default. */
  retryMs?: number;
  /** Heartbeat (`: ping`) interval; 15 s by default. */
  heartbeatMs?: number;
  /** Bytes a client may fall behind before it is disconnected; 1 MiB by default. */
  maxQueueBytes?: number;
  /** How long before its credential expires a stream gets `token-expiring`; 30 s by default. */
  tokenExpiringLeadMs?: number;
  /** On shutdown, streams are closed at random over this window so clients do not reconnect at once. */
  drainSpreadMs?: number;
  rateLimits?: GatewayRateLimits;
  /** Allowed browser origins; credentials are only allowed with explicit origins, never `*`. */
  corsOrigins?: readonly string[];
  /** `ALL /api/*` upstream; no proxy route without it. */
  upstream?: ProxyOptions;
  /** Authenticates services for `POST /internal/events`; no publish route without it. */
  authenticateService?: AuthenticateService;
  /** Options for core's service kit (name, logger, metrics endpoint, production, helmet, ...). */
  service?: Partial<ServiceOptions>;
}

/** The gateway: core's service plus the stream's parts that callers and tests use. */
export interface Gateway extends Service {
  readonly streamTokens: StreamTokens;
  /** Open streams on this instance. */
  connectionCount(): number;
  /** Subjects with a live subscription on this instance. */
  subscriptionCount(): number;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 1) {
    throw new GatewayError('ERR_GATEWAY_CONFIG', `${name} must be a number of at least 1`);
  }
  return value;
}

/**
 * Creates the realtime gateway of seed 003 on core's service kit: `GET /events/stream`,
 * `POST /events/token`, `POST /internal/events`, `ALL /api/*`, `/health`, `/ready`, `/metrics`.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const serviceOptions = options.service ?? {};
  const production = serviceOptions.production ?? process.env.NODE_ENV === 'production';
  const origins = options.corsOrigins ?? [];
  if (origins.some((origin) => origin.includes('*'))) {
    throw new GatewayError('ERR_GATEWAY_CONFIG', 'CORS origins must be explicit; a wildcard is refused');
  }
  if (production && origins.length === 0) {
    throw new GatewayError('ERR_GATEWAY_CONFIG', 'In production the gateway needs explicit CORS origins');
  }
  const maxConnections = positive('maxConnections', options.maxConnections ?? 10_000);
  const heartbeatMs = positive('heartbeatMs', options.heartbeatMs ?? 15_000);
  const maxQueueBytes = positive('maxQueueBytes', options.maxQueueBytes ?? 1024 * 1024);
  const subjectPrefix = options.subjectPrefix ?? 'events';

  // The gateway's own problems carry the profile's headers too where core's request hook does not
  // run: a path the router cannot decode (`GET /%`) and the proxy's refusals.
  const ownHeaders = profileHeaders(serviceOptions.profile ?? 'public', serviceOptions.helmet);
  const service = createService({
    name: 'gateway',
    ...serviceOptions,
    fastify: { ...serviceOptions.fastify, frameworkErrors: gatewayProblemHandler(ownHeaders) },
  });
  const { app } = service;
  // The queue gauge reads the hub and the hub counts into the metrics: the gauge reads it lazily.
  let hubRef: StreamHub | undefined;
  const metrics = createGatewayMetrics(
    service.metrics.registry,
    () => hubRef?.backlogBytes() ?? 0,
    () => options.events.invalidEvents?.() ?? 0,
  );
  const hub = new StreamHub(options.events, metrics);
  hubRef = hub;
  const leases = new Map<SseConnection, ConnectionLease>();
  const tokenStore = options.streamTokens ?? createMemoryStreamTokenStore();
  const streamTokens = createStreamTokens({
    store: tokenStore,
    ...(options.streamTokenTtlSeconds !== undefined ? { ttlSeconds: options.streamTokenTtlSeconds } : {}),
  });
  const limiter =
    options.connectionLimiter ??
    createMemoryConnectionLimiter({
      perUser: options.limits?.perUser ?? 10,
      perTenant: options.limits?.perTenant ?? 1000,
    });

  if (origins.length > 0) {
    await app.register(cors, {
      origin: [...origins],
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'last-event-id', 'x-request-id', 'traceparent'],
      maxAge: 600,
    });
  }

  const limits = options.rateLimits ?? {};
  await app.register(rateLimit, {
    global: false,
    ...(limits.redis ? { redis: limits.redis } : {}),
    nameSpace: limits.nameSpace ?? 'interlink-gateway-rl-',
    errorResponseBuilder: (_request, context) =>
      new CoreError('ERR_RATE_LIMITED', `Rate limit exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`, {
        extensions: { retryAfter: Math.ceil(context.ttl / 1000) },
      }),
  });
  const timeWindow = limits.windowMs ?? 60_000;
  const byIp = (max: number, name: string): onRequestHookHandler =>
    app.rateLimit({
      max,
      timeWindow,
      hook: 'onRequest',
      keyGenerator: (request: FastifyRequest) => `${name}:${request.ip}`,
    }) as onRequestHookHandler;
  const perIp = byIp(limits.perIp ?? 600, 'ip');
  const tokenPerIp = byIp(limits.tokenPerIp ?? 20, 'token-ip');
  // @fastify/rate-limit runs one of its hooks per request, so limits after authentication (per
  // user, per service) are checked through createRateLimit instead of a second hook.
  const afterAuthentication = (
    max: number,
    name: string,
    keyOf: (request: FastifyRequest) => string,
  ): RequestRateLimit => {
    const check = app.createRateLimit({
      max,
      timeWindow,
      keyGenerator: (request: FastifyRequest) => `${name}:${keyOf(request)}`,
    });
    return async (request, reply) => {
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) return;
      reply.header('retry-after', result.ttlInSeconds);
      throw new CoreError('ERR_RATE_LIMITED', `Rate limit exceeded; retry in ${result.ttlInSeconds} s`, {
        extensions: { retryAfter: result.ttlInSeconds },
      });
    };
  };
  const byUser = (max: number, name: string): preHandlerHookHandler =>
    afterAuthentication(
      max,
      name,
      (request) => `${request.gatewayUser?.tenantId}:${request.gatewayUser?.userId}`,
    );
  const tokenPerUser = byUser(limits.tokenPerUser ?? 10, 'token-user');

  const streamRoute = registerStreamRoute(app, {
    hub: hub,
    source: options.events,
    tokens: streamTokens,
    limiter,
    leases,
    verifyUserToken: options.verifyUserToken,
    metrics,
    subjectPrefix,
    maxConnections,
    retryMs: options.retryMs ?? 30_000,
    maxQueueBytes,
    tokenExpiringLeadMs: options.tokenExpiringLeadMs ?? 30_000,
    perIpLimit: perIp,
  });
  registerTokenRoute(app, {
    tokens: streamTokens,
    verifyUserToken: options.verifyUserToken,
    metrics,
    perIpLimit: tokenPerIp,
    perUserLimit: tokenPerUser,
  });
  if (options.authenticateService) {
    registerPublishRoute(app, {
      source: options.events,
      authenticate: options.authenticateService,
      subjectPrefix,
      perServiceLimit: afterAuthentication(
        limits.publishPerService ?? 6000,
        'publish-service',
        (request) => request.gatewayService ?? '',
      ),
    });
  }
  if (options.upstream) {
    await registerProxyRoute(app, {
      ...options.upstream,
      verifyUserToken: options.verifyUserToken,
      responseHeaders: ownHeaders,
      perIpLimit: perIp,
      perUserLimit: byUser(limits.apiPerUser ?? 600, 'api-user'),
    });
  }

  const heartbeat = setInterval(() => {
    hub.broadcast(PING_FRAME);
    streamRoute
      .endSupersededStreams()
      .catch((error) => service.logger.warn({ err: error }, 'stream token check failed'));
    if (leases.size > 0) {
      limiter
        .refresh([...leases.values()])
        .catch((error) => service.logger.warn({ err: error }, 'lease refresh failed'));
    }
  }, heartbeatMs);
  heartbeat.unref();

  service.addReadinessCheck('events', () => options.events.check());
  const redis = options.rateLimits?.redis;
  if (redis) service.addReadinessCheck('redis', async () => void (await redis.ping()));

  // Streams never finish on their own, so a graceful shutdown ends them: spread over a window with
  // jitter, so thousands of clients reconnect to other instances gradually instead of all at once.
  const drainSpreadMs = options.drainSpreadMs ?? 5_000;
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    const open = [...hub.connections()];
    await Promise.all(
      open.map(
        (connection) =>
          new Promise<void>((resolve) => {
            setTimeout(() => {
              connection.end();
              resolve();
            }, Math.random() * drainSpreadMs);
          }),
      ),
    );
  });
  service.onClose('connection limiter', () => limiter.close());
  service.onClose('stream tokens', () => tokenStore.close());

  return Object.assign(service, {
    streamTokens,
    connectionCount: () => hub.size,
    subscriptionCount: () => hub.subjectCount,
  });
}
