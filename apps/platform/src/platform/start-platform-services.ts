import { createMemoryNonceStore, type Keyring, type NonceStore } from '@interlink/auth';
import {
  createServiceClient,
  createTypedClient,
  type RequestSigner,
  type ServiceClient,
} from '@interlink/client';
import { authServiceContract, eventServiceContract, ticketServiceContract } from '@interlink/contracts';
import type { Service } from '@interlink/core';
import pg from 'pg';
import { createAuthService } from '../auth/auth-service.js';
import type { ServiceDatabase } from '../db/provision-service-databases.js';
import type { DataService } from '../db/service-names.js';
import { createEventService } from '../event/event-service.js';
import { createOrderService } from '../order/order-service.js';
import type { PlatformRuntime } from '../service/platform-runtime.js';
import { createTicketService } from '../ticket/ticket-service.js';
import { createVenueService } from '../venue/venue-service.js';

export interface StartPlatformServicesOptions {
  /** Each service's own database URL (its role), from `preparePlatformDatabases`. */
  databases: Record<DataService, Pick<ServiceDatabase, 'url'>>;
  /** The keys of every service that may call one of the five. */
  keyring: Keyring;
  /** The signer each service uses for its own outbound calls (ticket -> auth, venue -> ticket, event). */
  signerFor(service: string): RequestSigner;
  /** A nonce store per service; a bounded memory store each by default (one process). */
  nonceStore?: (service: DataService) => NonceStore;
  logLevel?: string;
  shutdownTimeoutMs?: number;
  /** Connections per service pool; 5 by default. */
  poolSize?: number;
}

export interface PlatformServices {
  /** Each service's loopback address (`http://127.0.0.1:port`). */
  urls: Record<DataService, string>;
  services: Record<DataService, Service>;
  /** Closes the five (draining their requests), their clients and pools. */
  close(): Promise<void>;
}

/**
 * Runs the five data services in this process, each its own Fastify instance on its own loopback
 * port with its own pool and role: every call between them still goes over HTTP and is signed and
 * checked as in production (PLATFORM.md, "Process model").
 */
export async function startPlatformServices(
  options: StartPlatformServicesOptions,
): Promise<PlatformServices> {
  const started: Array<{ name: string; close: () => Promise<void> }> = [];
  const close = async () => {
    for (const entry of started.reverse()) await entry.close();
  };
  const runtime = (service: DataService): PlatformRuntime => {
    const pool = new pg.Pool({
      connectionString: options.databases[service].url,
      max: options.poolSize ?? 5,
    });
    return {
      pool,
      keyring: options.keyring,
      nonceStore: options.nonceStore?.(service) ?? createMemoryNonceStore(),
      production: false,
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
      ...(options.shutdownTimeoutMs !== undefined ? { shutdownTimeoutMs: options.shutdownTimeoutMs } : {}),
    };
  };
  const listen = async (name: DataService, service: Service) => {
    started.push({ name, close: () => service.close() });
    return service.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  };
  const client = (caller: string, target: string, baseUrl: string): ServiceClient => {
    const upstream = createServiceClient({ service: target, baseUrl, signer: options.signerFor(caller) });
    started.push({ name: `${caller}->${target}`, close: () => upstream.close() });
    return upstream;
  };

  try {
    const services = {} as Record<DataService, Service>;
    const urls = {} as Record<DataService, string>;
    services.auth = await createAuthService(runtime('auth'));
    urls.auth = await listen('auth', services.auth);
    services.event = await createEventService(runtime('event'));
    urls.event = await listen('event', services.event);
    services.order = await createOrderService(runtime('order'));
    urls.order = await listen('order', services.order);

    const authForTicket = createTypedClient(
      client('ticket-service', 'auth-service', urls.auth),
      authServiceContract.routes,
    );
    services.ticket = await createTicketService({
      ...runtime('ticket'),
      isUserOfTenant: async (tenantId, userId) =>
        (await authForTicket.validateUsers({ body: { userIds: [userId] } }, { tenantId })).valid,
    });
    urls.ticket = await listen('ticket', services.ticket);

    const ticketForVenue = createTypedClient(
      client('venue-service', 'ticket-service', urls.ticket),
      ticketServiceContract.routes,
    );
    const eventForVenue = createTypedClient(
      client('venue-service', 'event-service', urls.event),
      eventServiceContract.routes,
    );
    services.venue = await createVenueService({
      ...runtime('venue'),
      ticketStatus: (tenantId, ticketId) =>
        ticketForVenue.getTicketStatus({ params: { ticketId } }, { tenantId }),
      eventVenue: async (tenantId, id) =>
        (await eventForVenue.getEvent({ params: { id } }, { tenantId })).venueId,
    });
    urls.venue = await listen('venue', services.venue);
    return { urls, services, close };
  } catch (error) {
    await close();
    throw error;
  }
}
