import { createService, type Service } from '@interlink/core';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '../client/create-service-client.js';
import { fallback, none } from '../failure/failure-policy.js';
import { rejection } from '../testing/rejection.test.helper.js';
import { createTypedClient } from './create-typed-client.js';
import { defineRoute } from './route-definition.js';
import {
  createTicketServiceClient,
  type TicketServiceClient,
  type TicketStatusResponse,
} from './ticket-service-client.js';

let ticketService: Service;
let client: ServiceClient;
let tickets: TicketServiceClient;
const seen: Array<{ url: string; key: string | undefined; body: unknown }> = [];
let transferFailures = 0;

beforeAll(async () => {
  ticketService = createService({ name: 'ticket-service', logLevel: 'silent', helmet: false });
  const app = ticketService.app;
  app.addHook('onRequest', async (request) => {
    seen.push({
      url: request.url,
      key: request.headers['idempotency-key'] as string | undefined,
      body: undefined,
    });
  });
  app.get('/internal/tickets/:ticketId/status', async (request) => {
    const { ticketId } = request.params as { ticketId: string };
    if (ticketId === 'broken') return { ticketId, status: 42 };
    return { ticketId, status: 'active', userId: 'u1', hasBeenTransferred: false };
  });
  app.get('/internal/orders/:orderId/tickets', async (request) => {
    const { orderId } = request.params as { orderId: string };
    return { orderId, tickets: [], count: 0 };
  });
  app.post('/internal/tickets/:ticketId/transfer', async (request, reply) => {
    seen.at(-1)!.body = request.body;
    if (transferFailures > 0) {
      transferFailures--;
      return reply.code(503).send({ code: 'ERR_SERVICE_UNAVAILABLE' });
    }
    const { ticketId } = request.params as { ticketId: string };
    const body = request.body as { fromUserId: string; toUserId: string };
    return {
      success: true,
      transfer: { id: 'tr1', ticketId, ...body, status: 'completed', transferredAt: '2026-01-01T00:00:00Z' },
    };
  });
  const url = await ticketService.listen({ handleSignals: false });
  client = createServiceClient({
    service: 'ticket-service',
    baseUrl: url,
    production: false,
    retry: { baseDelayMs: 1 },
  });
  tickets = createTicketServiceClient(client);
});
afterAll(async () => {
  await client.close();
  await ticketService.close();
});

describe('typed clients from TypeBox routes (seed 004 ticket-service)', () => {
  it('calls a route with typed params and returns the typed, validated answer', async () => {
    const status = await tickets.getTicketStatus({ params: { ticketId: 't 1/2' } });
    expectTypeOf(status).toEqualTypeOf<TicketStatusResponse>();
    expect(status).toEqual({ ticketId: 't 1/2', status: 'active', userId: 'u1', hasBeenTransferred: false });
    expect(seen.at(-1)!.url).toBe('/internal/tickets/t%201%2F2/status');
    expect((await tickets.getOrderTickets({ params: { orderId: 'o1' } })).count).toBe(0);
  });

  it('refuses a dot-segment path parameter without sending anything', async () => {
    const before = seen.length;
    const error = await rejection(tickets.getTicketStatus({ params: { ticketId: '..' } }));
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(seen.length).toBe(before);
  });

  it('validates the body at run time before sending', async () => {
    const before = seen.length;
    const bad = { params: { ticketId: 't1' }, body: { fromUserId: 'u1' } } as unknown as Parameters<
      TicketServiceClient['transferTicket']
    >[0];
    const error = await rejection(tickets.transferTicket(bad));
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(error.extensions?.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'body.toUserId' })]),
    );
    expect(seen.length).toBe(before);
  });

  it('raises ERR_UPSTREAM_RESPONSE_INVALID when the answer breaks the schema', async () => {
    const error = await rejection(tickets.getTicketStatus({ params: { ticketId: 'broken' } }));
    expect(error.code).toBe('ERR_UPSTREAM_RESPONSE_INVALID');
  });

  it('retries a transfer with one Idempotency-Key for the logical write', async () => {
    transferFailures = 2;
    const before = seen.length;
    const result = await tickets.transferTicket({
      params: { ticketId: 't9' },
      body: { fromUserId: 'u1', toUserId: 'u2', reason: 'gift' },
    });
    expect(result.transfer.toUserId).toBe('u2');
    const attempts = seen.slice(before);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.key)).size).toBe(1);
    expect(attempts[0]!.key).toMatch(/^"[0-9a-f-]{36}"$/);
    // A second logical transfer gets a key of its own.
    await tickets.transferTicket({ params: { ticketId: 't9' }, body: { fromUserId: 'u2', toUserId: 'u3' } });
    expect(seen.at(-1)!.key).not.toBe(attempts[0]!.key);
  });

  it('sends a typed query, optional when all its fields are, and refuses an invalid one', async () => {
    const typed = createTypedClient(client, {
      listTickets: defineRoute({
        method: 'GET',
        path: '/internal/orders/:orderId/tickets',
        params: Type.Object({ orderId: Type.String() }),
        query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: Type.Object({ orderId: Type.String(), count: Type.Integer() }),
      }),
    });
    await typed.listTickets({ params: { orderId: 'o2' } });
    await typed.listTickets({ params: { orderId: 'o2' }, query: { limit: 50 } });
    expect(seen.at(-1)!.url).toBe('/internal/orders/o2/tickets?limit=50');
    const before = seen.length;
    const error = await rejection(typed.listTickets({ params: { orderId: 'o2' }, query: { limit: 5000 } }));
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(seen.length).toBe(before);
  });

  it('returns a read route fallback for a malformed answer', async () => {
    const Prices = Type.Object({ prices: Type.Array(Type.Integer()) });
    const typed = createTypedClient(client, {
      getPrices: defineRoute({
        method: 'GET',
        path: '/internal/tickets/:ticketId/status',
        params: Type.Object({ ticketId: Type.String() }),
        response: Prices,
        failure: fallback({ prices: [] as number[] }),
      }),
    });
    expect(await typed.getPrices({ params: { ticketId: 'x' } })).toEqual({ prices: [] });
  });

  it('checks calls, answers and failure policies at compile time', () => {
    // These lines are checked by `tsc -b`: each @ts-expect-error fails the build if the error disappears.
    const compileOnly = (t: TicketServiceClient) => {
      // @ts-expect-error ticketId must be a string
      void t.getTicketStatus({ params: { ticketId: 1 } });
      // @ts-expect-error a transfer needs its body
      void t.transferTicket({ params: { ticketId: 't' } });
      // @ts-expect-error the params are required
      void t.getOrderTickets();
    };
    const Answer = Type.Object({ a: Type.String() });
    const write = () =>
      defineRoute({
        method: 'POST',
        path: '/x',
        response: Answer,
        // @ts-expect-error a write cannot have a fallback
        failure: fallback({ a: 'x' }),
      });
    defineRoute({
      method: 'GET',
      path: '/x',
      response: Answer,
      // @ts-expect-error the fallback must have the response's type
      failure: fallback({ a: 1 }),
    });
    defineRoute({ method: 'POST', path: '/x', response: Answer, failure: none() });
    expectTypeOf<
      Awaited<ReturnType<TicketServiceClient['getTicketStatus']>>['hasBeenTransferred']
    >().toEqualTypeOf<boolean>();
    expect(typeof compileOnly).toBe('function');
    expect(write).toThrow(/cannot have a fallback/);
  });
});
