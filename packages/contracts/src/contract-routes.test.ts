import {
  type ClientError,
  createServiceClient,
  createTypedClient,
  type ServiceClient,
} from '@interlink/client';
import { CoreError, createService, type Service } from '@interlink/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authServiceContract } from './auth-service.js';
import { registerContractRoutes } from './fastify-route.js';
import { orderServiceContract } from './order-service.js';
import { ticketServiceContract } from './ticket-service.js';

// One service kit instance serves three contracts with trivial handlers; the typed clients are built
// from the same contracts and talk to it over a real socket.

const TICKET = '0b7f8a3c-1d2e-4f5a-8b9c-0d1e2f3a4b5c';
const USER = '5d1c2b3a-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
const EVENT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const ORDER = '1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b';
/** A ticket id whose handler answers a shape the contract does not allow. */
const BROKEN = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

/** The ticket-status answer for `ticketId`; the BROKEN ticket's owner is not a UUID. */
const ticketStatus = (ticketId: string) => ({
  ticketId,
  status: 'sold' as const,
  userId: ticketId === BROKEN ? 'user-1' : USER,
  eventId: EVENT,
  hasBeenTransferred: false,
});

/** The order getOrder answers with, every field the contract declares. */
const ORDER_SUMMARY = {
  id: ORDER,
  orderNumber: 'ORD-1',
  userId: USER,
  eventId: EVENT,
  status: 'PAID' as const,
  totalCents: 5000,
  currency: 'USD',
  createdAt: '2026-01-12T09:30:00.123Z',
};

let service: Service;
let raw: ServiceClient;
let seenLimits: unknown[] = [];

function expectCode(error: unknown, code: string): ClientError {
  expect(error).toMatchObject({ code });
  return error as ClientError;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

/** Status and problem of a request sent as is, bypassing the typed client's own checks. */
async function send(method: string, path: string, json?: unknown) {
  const error = await failure(raw.request({ method, path, ...(json !== undefined ? { json } : {}) }));
  const upstream = expectCode(error, 'ERR_UPSTREAM_STATUS').upstream!;
  const errors = (upstream.problem?.errors ?? []) as Array<{ field: string }>;
  return {
    status: upstream.status,
    problem: upstream.problem,
    fields: [...new Set(errors.map((e) => e.field))],
  };
}

beforeAll(async () => {
  service = createService({ name: 'contracts-test', logLevel: 'silent', helmet: false });
  registerContractRoutes(service.app, ticketServiceContract, {
    // BROKEN's answer is serializable (the serializer checks types, not patterns), but outside the contract.
    getTicketStatus: async (request) => ticketStatus(request.params.ticketId),
    cancelBatch: async (request) => ({ success: true, cancelled: request.body.ticketIds, refused: [] }),
    calculatePrice: async () => ({ items: [], totalCents: 0, currency: 'USD' }),
    getTicketByToken: async (request) => ({
      ticketId: TICKET,
      tokenId: request.params.tokenId,
      userId: USER,
      status: 'sold',
      eventId: EVENT,
      isMinted: true,
    }),
    getOrderTickets: async (request) => ({ orderId: request.params.orderId, tickets: [], count: -1 }),
    transferTicket: async (request) => ({
      success: true,
      transfer: {
        id: ORDER,
        ticketId: request.params.ticketId,
        fromUserId: request.body.fromUserId,
        toUserId: request.body.toUserId,
        status: 'completed',
        transferredAt: '2026-01-12T09:30:00Z',
      },
    }),
    getEventsAttended: async (request) => ({ userId: request.params.userId, eventsAttended: 2 }),
  });
  registerContractRoutes(service.app, authServiceContract, {
    validatePermissions: async (request) => ({
      userId: request.body.userId,
      valid: true,
      granted: request.body.permissions,
      missing: [],
    }),
    validateUsers: async (request) => ({ valid: true, validIds: request.body.userIds, invalidIds: [] }),
    getUserTenant: async (request) => ({
      userId: request.params.userId,
      tenantId: EVENT,
      tenantName: 'Demo',
      roles: [],
    }),
    getAdmins: async () => ({ users: [], count: 0 }),
    getUserByEmail: async (request) =>
      request.params.email === 'ada@example.com'
        ? {
            found: true,
            id: USER,
            email: 'ada@example.com',
            tenantId: EVENT,
            status: 'active',
            emailVerified: true,
          }
        : { found: false },
    getUser: async (request) => {
      throw new CoreError('ERR_NOT_FOUND', `No user ${request.params.userId}`);
    },
  });
  registerContractRoutes(service.app, orderServiceContract, {
    getOrder: async () => ({
      // internalNote is not in the contract: the serializer drops it, so internals cannot leak by accident.
      order: { ...ORDER_SUMMARY, internalNote: 'leaked' } as never,
      items: [{ id: TICKET, ticketTypeId: EVENT, quantity: 2, unitPriceCents: 2500 }],
    }),
    getOrderItems: async (request) => ({ orderId: request.params.orderId, items: [] }),
    getOrdersWithoutTickets: async (request) => {
      seenLimits.push(request.query.limit);
      return { orders: [], count: 0 };
    },
    getOrderForPayment: async () => {
      throw new CoreError('ERR_NOT_FOUND', 'No such order');
    },
  });
  const url = await service.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  raw = createServiceClient({ service: 'contracts-test', baseUrl: url, production: false, retry: false });
});

afterAll(async () => {
  await raw?.close();
  await service?.close();
});

describe('a route and a typed client made from one contract', () => {
  it('answers the contract shape through the typed client', async () => {
    const tickets = createTypedClient(raw, ticketServiceContract.routes);
    await expect(tickets.getTicketStatus({ params: { ticketId: TICKET } })).resolves.toEqual(
      ticketStatus(TICKET),
    );
    const transfer = await tickets.transferTicket({
      params: { ticketId: TICKET },
      body: { fromUserId: USER, toUserId: EVENT, reason: 'gift' },
    });
    expect(transfer.transfer).toMatchObject({ ticketId: TICKET, fromUserId: USER, toUserId: EVENT });
  });

  it('sends only the fields the contract declares', async () => {
    const orders = createTypedClient(raw, orderServiceContract.routes);
    const answer = await orders.getOrder({ params: { orderId: ORDER } });
    expect(answer.order).toEqual(ORDER_SUMMARY);
  });

  it('answers either branch of a union response (by-email: a user, or found: false)', async () => {
    const auth = createTypedClient(raw, authServiceContract.routes);
    await expect(auth.getUserByEmail({ params: { email: 'ada@example.com' } })).resolves.toMatchObject({
      found: true,
      id: USER,
    });
    await expect(auth.getUserByEmail({ params: { email: 'bob@example.com' } })).resolves.toEqual({
      found: false,
    });
    for (const email of ['ada%2f..%2f@example.com', 'not-an-email', 'a@b%2fc.com']) {
      const { status, fields } = await send('GET', `/internal/users/by-email/${email}`);
      expect({ email, status, fields }).toEqual({ email, status: 400, fields: ['params.email'] });
    }
  });

  it('answers an unknown id with a 404 problem the client reports with its code', async () => {
    const auth = createTypedClient(raw, authServiceContract.routes);
    const error = expectCode(
      await failure(auth.getUser({ params: { userId: USER } })),
      'ERR_UPSTREAM_STATUS',
    );
    expect(error.upstream).toMatchObject({
      status: 404,
      problem: { status: 404, code: 'ERR_NOT_FOUND', type: 'urn:interlink:error:ERR_NOT_FOUND' },
    });
  });

  it('refuses path ids that are not UUIDs, dot segments and encoded slashes with a 400 problem', async () => {
    for (const id of [
      'not-a-uuid',
      '..',
      '..%2f..%2fadmin',
      `${TICKET}%2f..`,
      '%2e%2e',
      `${TICKET.slice(0, 35)}%2f`,
    ]) {
      // Sent as is: `..` is not normalised away on the way, and the router decodes `%2f` and `%2e`.
      const { status, problem, fields } = await send('GET', `/internal/tickets/${id}/status`);
      expect({ id, status, type: problem?.type, fields }).toEqual({
        id,
        status: 400,
        type: 'urn:interlink:error:ERR_VALIDATION',
        fields: ['params.ticketId'],
      });
    }
  });

  it('refuses validate-users with 101 ids, duplicates or none, on the server and in the client', async () => {
    const ids = (n: number) =>
      Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const auth = createTypedClient(raw, authServiceContract.routes);
    await expect(auth.validateUsers({ body: { userIds: ids(100) } })).resolves.toMatchObject({ valid: true });
    for (const userIds of [ids(101), [USER, USER], []]) {
      const { status, problem } = await send('POST', '/validate-users', { userIds });
      expect({ n: userIds.length, status, code: problem?.code }).toEqual({
        n: userIds.length,
        status: 400,
        code: 'ERR_VALIDATION',
      });
      expectCode(await failure(auth.validateUsers({ body: { userIds } })), 'ERR_CLIENT_REQUEST_INVALID');
    }
  });

  it('refuses a body with a field the contract does not have, in the client', async () => {
    const auth = createTypedClient(raw, authServiceContract.routes);
    const body = { userIds: [USER], tenantId: EVENT } as never;
    expectCode(await failure(auth.validateUsers({ body })), 'ERR_CLIENT_REQUEST_INVALID');
  });

  it('takes without-tickets limits 1 to 500 and refuses 501, 0, -1 and a string', async () => {
    seenLimits = [];
    const orders = createTypedClient(raw, orderServiceContract.routes);
    await orders.getOrdersWithoutTickets({ query: { limit: 500 } });
    await orders.getOrdersWithoutTickets();
    expect(seenLimits).toEqual([500, 100]);
    for (const limit of ['501', '0', '-1', 'x', '1.5']) {
      const { status, problem, fields } = await send(
        'GET',
        `/internal/orders/without-tickets?limit=${limit}`,
      );
      expect({ limit, status, code: problem?.code, fields }).toEqual({
        limit,
        status: 400,
        code: 'ERR_VALIDATION',
        fields: ['querystring.limit'],
      });
    }
    expectCode(
      await failure(orders.getOrdersWithoutTickets({ query: { limit: 501 } })),
      'ERR_CLIENT_REQUEST_INVALID',
    );
    expect(seenLimits).toEqual([500, 100]);
  });

  it('refuses an answer outside the contract with ERR_UPSTREAM_RESPONSE_INVALID', async () => {
    const tickets = createTypedClient(raw, ticketServiceContract.routes);
    expectCode(
      await failure(tickets.getTicketStatus({ params: { ticketId: BROKEN } })),
      'ERR_UPSTREAM_RESPONSE_INVALID',
    );
    expectCode(
      await failure(tickets.getOrderTickets({ params: { orderId: ORDER } })),
      'ERR_UPSTREAM_RESPONSE_INVALID',
    );
  });
});
