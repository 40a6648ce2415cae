import { defineRoute, type RouteInput, type RouteOutput } from '@interlink/client';
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

describe('defineServiceContract', () => {
  it('refuses a path placeholder without a params property, and the reverse', () => {
    expect(() =>
      defineServiceContract({
        service: 's',
        version: '1',
        title: 't',
        routes: { a: defineRoute({ method: 'GET', path: '/x/:id', response: ok }) },
        docs: { a: docs },
      }),
    ).toThrow(/has \[id\] but params has \[\]/);
    expect(() =>
      defineServiceContract({
        service: 's',
        version: '1',
        title: 't',
        routes: {
          a: defineRoute({
            method: 'GET',
            path: '/x',
            params: Type.Object({ id: Type.String() }),
            response: ok,
          }),
        },
        docs: { a: docs },
      }),
    ).toThrow(/has \[\] but params has \[id\]/);
  });

  it('refuses the same method and path twice, and a version that is not a number', () => {
    const route = defineRoute({ method: 'GET', path: '/x', response: ok });
    expect(() =>
      defineServiceContract({
        service: 's',
        version: '1',
        title: 't',
        routes: { a: route, b: route },
        docs: { a: docs, b: docs },
      }),
    ).toThrow(/GET \/x is declared twice/);
    expect(() =>
      defineServiceContract({
        service: 's',
        version: 'v1',
        title: 't',
        routes: { a: route },
        docs: { a: docs },
      }),
    ).toThrow(/version/);
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
