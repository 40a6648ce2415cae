import { createHmac, randomBytes } from 'node:crypto';
import {
  createService,
  type Principal,
  type Service,
  type ServicePrincipal,
  type UserPrincipal,
} from '@interlink/core';
import { Type } from '@sinclair/typebox';
import type { FastifyContextConfig } from 'fastify';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createJwtVerifier } from '../jwt/verify-jwt.js';
import type { MeshIdentityVerifier } from '../mesh/verify-mesh-identity.js';
import { createServiceTokenSigner } from '../service-tokens/sign-service-token.js';
import { createServiceTokenVerifier } from '../service-tokens/verify-service-token.js';
import { authPlugin } from './auth-plugin.js';
import type { AuthKind, RoutePrincipal } from './route-principal.js';

// The handlers below are type tests as much as runtime ones: `tsc -b` checks this file, so a
// `request.principal` typed optional on an auth route (or present on a public one) fails the build.
const userSecret = randomBytes(32);
const serviceTokenSecret = randomBytes(32);
const signServiceToken = createServiceTokenSigner({
  service: 'payment-service',
  issuer: 'services',
  audience: 'order-service',
  kid: 's1',
  alg: 'HS256',
  key: serviceTokenSecret,
});
const userVerifier = () =>
  createJwtVerifier({
    keys: [{ kid: 'u1', key: userSecret, secret: true }],
    issuer: 'auth',
    audience: 'api',
  });

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function userToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'user-1', tenant_id: 'tenant-a', iss: 'auth', aud: 'api', iat: now, exp: now + 300 };
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'u1' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', userSecret).update(input).digest('base64url')}`;
}

describe('request.principal on routes that require auth', () => {
  let service: Service;
  beforeAll(async () => {
    service = createService({ name: 'order-service', logLevel: 'silent', helmet: false });
    const { app } = service;
    await app.register(authPlugin, {
      users: userVerifier(),
      serviceTokens: createServiceTokenVerifier({
        keys: [{ kid: 's1', key: serviceTokenSecret, secret: true }],
        issuer: 'services',
        audience: 'order-service',
      }),
    });
    app.get('/service', { config: { auth: 'service' } }, async (request) => {
      expectTypeOf(request.principal).toEqualTypeOf<ServicePrincipal>();
      return { caller: request.principal.service, kind: request.principal.kind };
    });
    app.get(
      '/user/:id',
      { config: { auth: 'user' }, schema: { params: Type.Object({ id: Type.String() }) } },
      async (request) => {
        expectTypeOf(request.principal).toEqualTypeOf<UserPrincipal>();
        // @ts-expect-error a user principal names no calling service
        const calling: string = request.principal.service;
        return { user: request.principal.userId, id: request.params.id, service: calling ?? null };
      },
    );
    app.get(
      '/either',
      { config: { auth: ['user', 'service'], permission: 'orders:read' } },
      async (request) => {
        expectTypeOf(request.principal).toEqualTypeOf<UserPrincipal | ServicePrincipal>();
        const { principal } = request;
        return { who: principal.kind === 'service' ? principal.service : principal.userId };
      },
    );
    app.route({
      method: 'GET',
      url: '/route',
      config: { auth: 'service' },
      // A route's own preHandlers run after the plugin's: the principal is there already.
      preHandler: async (request) => {
        request.log.debug({ caller: request.principal.service }, 'caller');
      },
      handler: async (request) => ({ caller: request.principal.service }),
    });
    await app.register(async (scope) => {
      scope.get('/scoped', { config: { auth: 'service' } }, async (request) => ({
        caller: request.principal.service,
      }));
    });
    app.get('/public', async (request) => {
      expectTypeOf(request.principal).toEqualTypeOf<Principal | undefined>();
      // @ts-expect-error nothing authenticated the caller of a public route
      void (() => request.principal.service);
      return { principal: request.principal ?? null };
    });
    app.addHook('onRequest', async (request) => {
      // An app-wide hook does not know its route: the principal may be absent.
      expectTypeOf(request.principal).toEqualTypeOf<Principal | undefined>();
    });
    await app.ready();
  });
  afterAll(() => service.close());

  it("hands a 'service' route's handler the calling service", async () => {
    const res = await service.app.inject({
      url: '/service',
      headers: { 'x-service-token': signServiceToken() },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ caller: 'payment-service', kind: 'service' });
  });

  it("hands a 'user' route's handler the user, beside its typed params", async () => {
    const res = await service.app.inject({
      url: '/user/42',
      headers: { authorization: `Bearer ${userToken()}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: 'user-1', id: '42', service: null });
  });

  it('types the principal through route(), route preHandlers and encapsulated plugins', async () => {
    for (const url of ['/route', '/scoped']) {
      const res = await service.app.inject({ url, headers: { 'x-service-token': signServiceToken() } });
      expect(res.json()).toEqual({ caller: 'payment-service' });
    }
  });

  it('leaves the principal of a public route undefined, and the route open', async () => {
    const res = await service.app.inject({ url: '/public' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ principal: null });
  });
});

describe('a principal that does not match its route is refused', () => {
  it('a user verifier put in the serviceTokens slot lets no user onto a service route (401 ERR_JWT_TYPE)', async () => {
    const service = createService({ name: 'order-service', logLevel: 'silent', helmet: false });
    await service.app.register(authPlugin, { serviceTokens: userVerifier() });
    let ran = false;
    service.app.get('/service', { config: { auth: 'service' } }, async (request) => {
      ran = true;
      return { caller: request.principal.service };
    });
    const res = await service.app.inject({ url: '/service', headers: { 'x-service-token': userToken() } });
    await service.close();
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ERR_JWT_TYPE');
    expect(ran).toBe(false);
  });

  it('a hand-written verifier whose service principal names no service is refused (401 ERR_JWT_PRINCIPAL)', async () => {
    const nameless: MeshIdentityVerifier = () => ({
      kind: 'service',
      roles: [],
      permissions: [],
      scheme: 'mesh-custom',
    });
    const service = createService({ name: 'order-service', logLevel: 'silent', helmet: false });
    await service.app.register(authPlugin, { mesh: nameless });
    service.app.get('/service', { config: { auth: 'service' } }, async (request) => ({
      caller: request.principal.service,
    }));
    const res = await service.app.inject({ url: '/service' });
    await service.close();
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('ERR_JWT_PRINCIPAL');
  });
});

describe('RoutePrincipal', () => {
  it('reads the kinds a config type names; an unknown or optional auth gives Principal | undefined', () => {
    expectTypeOf<RoutePrincipal<{ auth: 'service' }>>().toEqualTypeOf<ServicePrincipal>();
    expectTypeOf<RoutePrincipal<{ auth: readonly ['user'] }>>().toEqualTypeOf<UserPrincipal>();
    expectTypeOf<RoutePrincipal<{ auth: AuthKind }>>().toEqualTypeOf<ServicePrincipal | UserPrincipal>();
    expectTypeOf<RoutePrincipal<FastifyContextConfig>>().toEqualTypeOf<Principal | undefined>();
    expectTypeOf<RoutePrincipal<unknown>>().toEqualTypeOf<Principal | undefined>();
    expectTypeOf<RoutePrincipal<{ permission: string }>>().toEqualTypeOf<Principal | undefined>();
  });
});
