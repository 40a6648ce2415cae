import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { createDevUserTokens, type DevUserTokens } from '../auth/dev-user-tokens.js';
import { createServiceTokenAuthenticator } from '../auth/service-token-authenticator.js';
import { registerDemoRoutes } from '../demo/demo-routes.js';
import { startEchoUpstream } from '../demo/echo-upstream.js';
import { isLoopbackHost } from '../demo/loopback.js';
import type { GatewayEventSource } from '../events/event-source.js';
import { createGatewayEvents, type GatewayLayout } from '../events/gateway-bus.js';
import { createGateway, type Gateway, type GatewayOptions } from '../gateway/create-gateway.js';
import { PUBLISH_PERMISSION } from '../internal/publish-route.js';
import { createRedisConnectionLimiter } from '../limits/redis-connection-limiter.js';
import { createRedisStreamTokenStore } from '../tokens/redis-stream-token-store.js';

/** Whether the embedded gateway serves its development sign-in (see {@link EmbeddedGatewayOptions.demoSignIn}). */
export type DemoSignIn = 'auto' | 'on' | 'off';

export interface EmbeddedGatewayOptions {
  port?: number;
  host?: string;
  /** On a memory bus by default (NATS JetStream when `natsUrl` is set); or pass any source. */
  events?: GatewayEventSource;
  /** Run events on this NATS JetStream instead of memory. */
  natsUrl?: string;
  /** JetStream stream and layout with `natsUrl`. */
  stream?: string;
  layout?: GatewayLayout;
  /** `gateway` layout: seed 003's entity event types (`createGatewayEvents`' `entityEventTypes`). */
  entityEventTypes?: readonly string[];
  /** Keep stream tokens, connection limits and rate limits on this Redis instead of memory. */
  redisUrl?: string;
  /** Prefix of every Redis key; `interlink:gateway:` by default. */
  redisPrefix?: string;
  /** Dev user tokens; a new random key by default. */
  users?: DevUserTokens;
  /** The bearer secret for `POST /internal/events`; 256 random bits by default. */
  serviceToken?: string;
  /** Serve the demo page and the two-way echo upstream; on by default. */
  demo?: boolean;
  /**
   * The demo's development sign-in (`POST /demo/sign-in`, loopback clients only): `auto` (the
   * default) serves it when `host` is a loopback address, `on` whatever `host` is, `off` never.
   */
  demoSignIn?: DemoSignIn;
  /** Close gracefully on SIGTERM/SIGINT; on by default. */
  handleSignals?: boolean;
  /** Production mode (default `NODE_ENV === 'production'`), where the embedded gateway refuses to start. */
  production?: boolean;
  /** Anything else for {@link createGateway}. */
  gateway?: Partial<GatewayOptions>;
}

export interface EmbeddedGateway {
  gateway: Gateway;
  url: string;
  users: DevUserTokens;
  events: GatewayEventSource;
  /** Send as `Authorization: Bearer` to `POST /internal/events`. */
  serviceToken: string;
  close(): Promise<void>;
}

/**
 * Starts the gateway in this process on embedded defaults: memory events, memory stores, a dev JWT
 * verifier whose key is generated now, a random service token for `POST /internal/events`, the demo
 * page at `/demo/` and an echo upstream behind `/api/*`. Development only: refused in production.
 */
export async function startEmbeddedGateway(options: EmbeddedGatewayOptions = {}): Promise<EmbeddedGateway> {
  // First, before anything is started: dev tokens (and so this whole mode) are refused in production.
  const users = options.users ?? createDevUserTokens({ production: options.production });
  const serviceToken = options.serviceToken ?? randomBytes(32).toString('base64url');
  const prefix = options.gateway?.subjectPrefix ?? 'events';
  const closers: Array<() => Promise<unknown>> = [];
  let events = options.events;
  if (!events) {
    const nc = options.natsUrl
      ? await connect({ servers: options.natsUrl, maxReconnectAttempts: -1, noAsyncTraces: true })
      : undefined;
    if (nc) closers.push(() => nc.close());
    // The bus on NATS (or in memory), its stream and subject scheme from `stream` and `layout`.
    events = await createGatewayEvents({
      subjectPrefix: prefix,
      ...(nc ? { nc } : {}),
      ...(options.stream ? { stream: options.stream } : {}),
      ...(options.layout ? { layout: options.layout } : {}),
      ...(options.entityEventTypes ? { entityEventTypes: options.entityEventTypes } : {}),
    });
  }
  const redis = options.redisUrl ? new Redis(options.redisUrl) : undefined;
  const redisPrefix = options.redisPrefix ?? 'interlink:gateway:';
  if (redis) closers.push(async () => redis.disconnect());
  const stores = redis
    ? {
        streamTokens: createRedisStreamTokenStore({ redis, prefix: redisPrefix }),
        connectionLimiter: createRedisConnectionLimiter({
          redis,
          prefix: redisPrefix,
          perUser: 10,
          perTenant: 1000,
        }),
        rateLimits: { redis, nameSpace: `${redisPrefix}rl:` },
      }
    : {};
  const demo = options.demo !== false;
  const upstream = demo ? await startEchoUpstream(events, prefix) : undefined;
  const gateway = await createGateway({
    verifyUserToken: users.verifyUserToken,
    events,
    authenticateService: createServiceTokenAuthenticator({
      token: serviceToken,
      service: 'embedded',
      permissions: [PUBLISH_PERMISSION],
    }),
    ...(upstream
      ? { upstream: { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` } }
      : {}),
    drainSpreadMs: 1000,
    ...stores,
    ...options.gateway,
  });
  const host = options.host ?? '127.0.0.1';
  if (demo) {
    const mode = options.demoSignIn ?? 'auto';
    const signIn = mode === 'on' || (mode === 'auto' && isLoopbackHost(host));
    if (mode === 'auto' && !signIn) {
      gateway.logger.warn(
        { host },
        'development sign-in off: HOST is not a loopback address (GATEWAY_DEMO_SIGN_IN=on serves it to loopback clients)',
      );
    }
    await registerDemoRoutes(gateway.app, { users, signIn });
  }
  if (upstream) {
    gateway.onClose('echo upstream', async () => {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    });
  }
  const source = events;
  // Registered first, so closed last: after the gateway and the event source stop using them.
  for (const close of closers) gateway.onClose('connection', close);
  gateway.onClose('events', () => source.close());
  const url = await gateway.listen({
    port: options.port ?? 0,
    host,
    handleSignals: options.handleSignals ?? true,
  });
  return { gateway, url, users, events, serviceToken, close: () => gateway.close() };
}
