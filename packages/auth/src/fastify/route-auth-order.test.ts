import { randomBytes } from 'node:crypto';
import { createService, InterlinkError, type Service } from '@interlink/core';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../jwt/verify-jwt.js';
import { authPlugin } from './auth-plugin.js';

// A route that asks for auth must never be served to everyone because of the order plugins and
// routes were registered in: the service refuses to start instead, naming the route.
const users = createJwtVerifier({
  keys: [{ kid: 'u1', key: randomBytes(32), secret: true }],
  issuer: 'auth',
  audience: 'api',
});
const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

function newService(): Service {
  const service = createService({ name: 'orders', logLevel: 'silent', profile: 'internal' });
  services.push(service);
  return service;
}

async function startError(service: Service): Promise<unknown> {
  return service.listen({ handleSignals: false }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

const secretRoute = (app: FastifyInstance) =>
  app.get('/internal/orders', { config: { auth: 'service' } }, async () => ({ orders: ['secret'] }));

describe('a route that declares config.auth', () => {
  it('refuses to start when the auth plugin is registered after the route', async () => {
    const service = newService();
    secretRoute(service.app);
    await service.app.register(authPlugin, { users });
    const error = await startError(service);
    expect(error).toBeInstanceOf(InterlinkError);
    expect((error as InterlinkError).code).toBe('ERR_ROUTE_AUTH_NOT_ENFORCED');
    expect((error as Error).message).toContain('GET /internal/orders');
  });

  it('refuses to start when the route sits in a context the plugin does not reach', async () => {
    const service = newService();
    // The plugin protects the context it is registered in (and that context's children) only.
    await service.app.register(async (accounts) => {
      await accounts.register(authPlugin, { users });
    });
    await service.app.register(async (orders) => {
      secretRoute(orders);
    });
    const error = await startError(service);
    expect((error as InterlinkError).code).toBe('ERR_ROUTE_AUTH_NOT_ENFORCED');
  });

  it('starts and refuses unsigned callers when the plugin comes first', async () => {
    const service = newService();
    await service.app.register(authPlugin, { users });
    secretRoute(service.app);
    const address = await service.listen({ handleSignals: false });
    const response = await fetch(`${address}/internal/orders`);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('secret');
  });
});
