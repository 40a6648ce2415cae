import { createMemoryNonceStore } from '@interlink/auth';
import { createServiceClient, createTypedClient, isClientError } from '@interlink/client';
import { eventServiceContract } from '@interlink/contracts';
import type { Service } from '@interlink/core';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPlatformService } from './create-platform-service.js';
import { createDevKeyring } from './dev-keyring.js';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres:test@127.0.0.1:5432/test';
const TENANT = 'a0000000-0000-4000-8000-000000000001';
const EVENT = 'e0000000-0000-4000-8000-000000000001';
const VENUE = 'd0000000-0000-4000-8000-000000000001';
const dev = createDevKeyring(undefined, { production: false });
const running: Service[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.close()));
});

/** event-service's contract served by `getEvent`, on a pool to `databaseUrl`. */
async function start(
  getEvent: () => Promise<unknown>,
  {
    production = false,
    databaseUrl = SERVER,
    authority,
  }: { production?: boolean; databaseUrl?: string; authority?: string } = {},
) {
  const service = await createPlatformService({
    contract: eventServiceContract,
    pool: new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 1000 }),
    keyring: dev.keyring,
    nonceStore: createMemoryNonceStore(),
    handlers: { getEvent: getEvent as never },
    production,
    logLevel: 'silent',
    ...(production ? { metrics: { token: 'x'.repeat(40) } } : {}),
    ...(authority ? { authority } : {}),
  });
  running.push(service);
  const url = await service.listen({ port: 0, handleSignals: false });
  const events = createTypedClient(
    createServiceClient({
      service: 'event-service',
      baseUrl: url,
      signer: dev.signerFor('minting-service'),
      retry: false,
    }),
    eventServiceContract.routes,
  );
  return { url, events };
}

const event = { id: EVENT, name: 'Rock', venueId: VENUE, startDate: '2026-12-10T20:00:00.000Z' };

describe('createPlatformService', () => {
  it('answers what the handler returns when it matches the contract', async () => {
    const { events } = await start(async () => event);
    expect(await events.getEvent({ params: { id: EVENT } }, { tenantId: TENANT })).toEqual(event);
  });

  it('binds signatures to its configured authority: a call signed for its loopback address is refused', async () => {
    const { events } = await start(async () => event, { authority: 'events.internal:443' });
    const error = await events
      .getEvent({ params: { id: EVENT } }, { tenantId: TENANT })
      .catch((e: unknown) => e);
    expect(isClientError(error) && error.upstream).toMatchObject({
      status: 401,
      problem: { code: 'ERR_SIGNATURE_AUTHORITY' },
    });
  });

  it('refuses to send an answer that does not match the contract (500 ERR_RESPONSE_CONTRACT)', async () => {
    // startDate is not a date-time: Fastify's serializer alone would send it as it is.
    const { events } = await start(async () => ({ ...event, startDate: 'next friday' }));
    const error = await events
      .getEvent({ params: { id: EVENT } }, { tenantId: TENANT })
      .catch((e: unknown) => e);
    expect(isClientError(error) && error.upstream).toMatchObject({
      status: 500,
      problem: { code: 'ERR_RESPONSE_CONTRACT' },
    });
  });

  it('serves /health, /ready with a PostgreSQL ping, /metrics and the OpenAPI document at /docs', async () => {
    const { url } = await start(async () => event);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    // The internal profile: a request id, no browser headers.
    expect(health.headers.get('x-request-id')).toBeTruthy();
    expect(health.headers.get('x-content-type-options')).toBeNull();
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { postgres: 'up' } });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('service="event-service"');
    const docs = (await (await fetch(`${url}/docs`)).json()) as { openapi: string; paths: object };
    expect(docs.openapi).toBe('3.1.0');
    expect(Object.keys(docs.paths)).toEqual(['/internal/events/{id}']);
  });

  it('is not ready when PostgreSQL does not answer', async () => {
    const { url } = await start(async () => event, { databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ code: 'ERR_NOT_READY', checks: { postgres: 'down' } });
  });

  it('serves no /docs in production', async () => {
    const { url } = await start(async () => event, { production: true });
    const docs = await fetch(`${url}/docs`);
    expect(docs.status).toBe(404);
  });
});
