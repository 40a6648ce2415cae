import {
  createMemoryNonceStore,
  createRedisNonceStore,
  createRequestSigner,
  type NonceStore,
} from '@interlink/auth';
import { createServiceClient, createTypedClient, type ServiceClient } from '@interlink/client';
import { authServiceContract, eventServiceContract, ticketServiceContract } from '@interlink/contracts';
import type { Service } from '@interlink/core';
import { exitOnStartupError } from '@interlink/gateway';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createAuthService } from '../auth/auth-service.js';
import type { DataService } from '../db/service-names.js';
import { createEventService } from '../event/event-service.js';
import { createOrderService } from '../order/order-service.js';
import { createTicketService } from '../ticket/ticket-service.js';
import { createVenueService } from '../venue/venue-service.js';
import type { PlatformRuntime } from './platform-runtime.js';
import { loadServiceConfig, type ServiceConfig } from './service-env.js';

/** Builds one service from its configuration: its pool, nonce store and clients of the services it calls. */
export async function createServiceFromConfig(name: DataService, config: ServiceConfig): Promise<Service> {
  const { env } = config;
  const production = process.env.NODE_ENV === 'production';
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.PG_POOL_MAX });
  let redis: Redis | undefined;
  let nonceStore: NonceStore;
  if (env.REDIS_URL !== undefined) {
    redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    nonceStore = createRedisNonceStore({ redis, prefix: env.NONCE_PREFIX ?? `interlink:${name}:nonce:` });
  } else {
    nonceStore = createMemoryNonceStore();
  }
  const runtime: PlatformRuntime = {
    pool,
    keyring: config.keyring,
    nonceStore,
    production,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    ...(env.SERVICE_AUTHORITY
      ? { authority: env.SERVICE_AUTHORITY.split(',').map((name) => name.trim()) }
      : {}),
    ...(env.METRICS_PORT !== undefined || env.METRICS_TOKEN !== undefined
      ? {
          metrics: {
            ...(env.METRICS_PORT !== undefined ? { port: env.METRICS_PORT } : {}),
            ...(env.METRICS_TOKEN !== undefined ? { token: env.METRICS_TOKEN } : {}),
          },
        }
      : {}),
  };
  const clients: ServiceClient[] = [];
  const client = (callee: DataService) => {
    const signer = createRequestSigner({ key: config.signingKey! });
    const upstream = createServiceClient({
      service: `${callee}-service`,
      baseUrl: config.upstreams[callee]!,
      signer,
      production,
    });
    clients.push(upstream);
    return upstream;
  };
  let service: Service;
  switch (name) {
    case 'auth':
      service = await createAuthService(runtime);
      break;
    case 'event':
      service = await createEventService(runtime);
      break;
    case 'order':
      service = await createOrderService(runtime);
      break;
    case 'ticket': {
      const auth = createTypedClient(client('auth'), authServiceContract.routes);
      service = await createTicketService({
        ...runtime,
        isUserOfTenant: async (tenantId, userId) =>
          (await auth.validateUsers({ body: { userIds: [userId] } }, { tenantId })).valid,
      });
      break;
    }
    case 'venue': {
      const tickets = createTypedClient(client('ticket'), ticketServiceContract.routes);
      const events = createTypedClient(client('event'), eventServiceContract.routes);
      service = await createVenueService({
        ...runtime,
        ticketStatus: (tenantId, ticketId) => tickets.getTicketStatus({ params: { ticketId } }, { tenantId }),
        eventVenue: async (tenantId, id) => (await events.getEvent({ params: { id } }, { tenantId })).venueId,
      });
      break;
    }
  }
  for (const upstream of clients) service.onClose(`client ${upstream.service}`, () => upstream.close());
  if (redis) {
    const connection = redis;
    service.addReadinessCheck('redis', () => connection.ping());
    service.onClose('redis', () => connection.quit());
  }
  return service;
}

/**
 * `node apps/platform/dist/<service>/main.js`: one service alone, configured from the environment
 * (see docs/platform.md), closing gracefully on SIGTERM. Bad configuration exits 78 naming every variable.
 */
export function runServiceMain(name: DataService): void {
  const start = async () => {
    const config = loadServiceConfig(name);
    const service = await createServiceFromConfig(name, config);
    const url = await service.listen({ port: config.port, host: config.env.HOST });
    service.logger.info({ address: url }, `${name}-service listening`);
  };
  start().catch((error: unknown) => exitOnStartupError(error, `${name}-service`));
}
