import { defineRoute, type RouteDefinition, type RouteInput, type RouteOutput } from '@interlink/client';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { authServiceContract } from './auth-service.js';
import { eventServiceContract } from './event-service.js';
import { registerContractRoutes } from './fastify-route.js';
import type { orderServiceContract } from './order-service.js';
import { defineServiceContract, permissionMapOf } from './service-contract.js';
import { serviceContracts } from './service-contracts.js';
import { ticketServiceContract } from './ticket-service.js';

const ok = Type.Object({ ok: Type.Boolean() });
const docs = { summary: 's', permission: 'x:read', consumers: [] };

/** A contract of service `s` at `version` with `routes`, each documented alike. */
const contractOf = (routes: Record<string, RouteDefinition>, version = '1') =>
  defineServiceContract({
    service: 's',
    version,
    title: 't',
    routes,
    docs: Object.fromEntries(Object.keys(routes).map((name) => [name, docs])),
  });

describe('defineServiceContract', () => {
  it('refuses a path placeholder without a params property, and the reverse', () => {
    expect(() => contractOf({ a: defineRoute({ method: 'GET', path: '/x/:id', response: ok }) })).toThrow(
      /has \[id\] but params has \[\]/,
    );
    const params = Type.Object({ id: Type.String() });
    expect(() => contractOf({ a: defineRoute({ method: 'GET', path: '/x', params, response: ok }) })).toThrow(
      /has \[\] but params has \[id\]/,
    );
  });

  it('refuses the same method and path twice, and a version that is not a number', () => {
    const route = defineRoute({ method: 'GET', path: '/x', response: ok });
    expect(() => contractOf({ a: route, b: route })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        message: expect.stringMatching(/GET \/x is declared twice/),
      }),
    );
    expect(() => contractOf({ a: route }, 'v1')).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID', message: expect.stringMatching(/version/) }),
    );
  });
});

describe('the platform contracts', () => {
  it('cover every internal endpoint seeds 002 and 004 name, with their methods and paths', () => {
    const endpoints = serviceContracts.flatMap((c) =>
      Object.values(c.routes).map((r) => `${c.service} ${r.method} ${r.path}`),
    );
    expect(endpoints.sort()).toEqual(
      [
        'ticket-service GET /internal/tickets/:ticketId/status',
        'ticket-service POST /internal/tickets/cancel-batch',
        'ticket-service POST /internal/tickets/calculate-price',
        'ticket-service GET /internal/tickets/by-token/:tokenId',
        'ticket-service GET /internal/orders/:orderId/tickets',
        'ticket-service POST /internal/tickets/:ticketId/transfer',
        'ticket-service GET /internal/users/:userId/events-attended',
        'auth-service POST /validate-permissions',
        'auth-service POST /validate-users',
        'auth-service GET /user-tenant/:userId',
        'auth-service GET /internal/users/:userId',
        'auth-service GET /internal/users/by-email/:email',
        'auth-service GET /internal/users/admins',
        'order-service GET /internal/orders/:orderId',
        'order-service GET /internal/orders/:orderId/items',
        'order-service GET /internal/orders/without-tickets',
        'order-service GET /internal/orders/:orderId/for-payment',
        'event-service GET /internal/events/:id',
        'venue-service GET /internal/venues/:venueId',
        'venue-service GET /internal/venues/:venueId/validate-ticket/:ticketId',
      ].sort(),
    );
  });

  it('grant each seed 004 consumer the permissions of exactly the routes it calls (seed 001 map shape)', () => {
    expect(permissionMapOf(ticketServiceContract)).toEqual({
      'auth-service': ['tickets:read'],
      'blockchain-indexer': ['tickets:read'],
      'blockchain-service': ['tickets:read'],
      'order-service': ['tickets:price'],
      'payment-service': ['tickets:cancel', 'tickets:read'],
      'transfer-service': ['tickets:transfer'],
      'venue-service': ['tickets:read'],
    });
    expect(permissionMapOf(authServiceContract)).toEqual({
      'compliance-service': ['users:read'],
      'payment-service': ['users:read'],
      'transfer-service': ['users:read'],
    });
  });
});

describe('registerContractRoutes', () => {
  it('refuses to start a service that leaves a route of its contract without a handler', async () => {
    const app = Fastify({ logger: false });
    const handlers = { getEvent: undefined } as never;
    // Fastify's own check: the types require every handler, JavaScript callers fail at start-up.
    expect(() => registerContractRoutes(app, eventServiceContract, handlers)).toThrow(
      /Missing handler function for "GET:\/internal\/events\/:id"/,
    );
    await app.close();
  });
});

describe('the types a contract gives its clients', () => {
  it("are the schemas' static types: closed statuses, optional query fields, required bodies", () => {
    type Status = RouteOutput<typeof ticketServiceContract.routes.getTicketStatus>['status'];
    expectTypeOf<Status>().toEqualTypeOf<
      'reserved' | 'sold' | 'transferred' | 'used' | 'checked_in' | 'cancelled' | 'refunded'
    >();
    type Query = RouteInput<typeof orderServiceContract.routes.getOrdersWithoutTickets>['query'];
    expectTypeOf<Query>().toEqualTypeOf<
      { minutesOld?: number; status?: 'PAID' | 'CONFIRMED'; limit?: number } | undefined
    >();
    type Body = RouteInput<typeof authServiceContract.routes.validateUsers>['body'];
    expectTypeOf<Body>().toEqualTypeOf<{ userIds: string[] }>();
  });
});
