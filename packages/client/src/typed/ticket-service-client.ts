import { type Static, Type } from '@sinclair/typebox';
import type { ServiceClient } from '../client/create-service-client.js';
import { failClosed, none } from '../failure/failure-policy.js';
import { createTypedClient, type TypedClient } from './create-typed-client.js';
import { defineRoute } from './route-definition.js';

// Seed 004's ticket-service internal API (§1.1, §1.4.2, §1.4.3). The response of the status route is
// not spelled out in the seed; this shape (owner and transfer flag) is what seed 002's
// checkTicketNotTransferred needs. The reference platform moves these schemas to packages/contracts.

export const TicketStatusResponse = Type.Object({
  ticketId: Type.String(),
  status: Type.String(),
  userId: Type.String(),
  hasBeenTransferred: Type.Boolean(),
});
export type TicketStatusResponse = Static<typeof TicketStatusResponse>;

export const OrderTicketsResponse = Type.Object({
  orderId: Type.String(),
  tickets: Type.Array(
    Type.Object({
      id: Type.String(),
      ticketTypeId: Type.String(),
      ticketTypeName: Type.String(),
      status: Type.String(),
      userId: Type.String(),
      eventId: Type.String(),
      priceCents: Type.Integer({ minimum: 0 }),
    }),
  ),
  count: Type.Integer({ minimum: 0 }),
});
export type OrderTicketsResponse = Static<typeof OrderTicketsResponse>;

export const TransferTicketBody = Type.Object(
  {
    fromUserId: Type.String({ minLength: 1 }),
    toUserId: Type.String({ minLength: 1 }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const TransferTicketResponse = Type.Object({
  success: Type.Boolean(),
  transfer: Type.Object({
    id: Type.String(),
    ticketId: Type.String(),
    fromUserId: Type.String(),
    toUserId: Type.String(),
    status: Type.String(),
    transferredAt: Type.String(),
  }),
});

const TicketIdParams = Type.Object({ ticketId: Type.String({ minLength: 1, maxLength: 128 }) });

/** The routes of seed 004's ticket-service client. */
export const ticketServiceRoutes = {
  /** A refund decision rests on it: fail closed. */
  getTicketStatus: defineRoute({
    method: 'GET',
    path: '/internal/tickets/:ticketId/status',
    params: TicketIdParams,
    response: TicketStatusResponse,
    failure: failClosed(),
  }),
  /** Payment and blockchain services act on the answer: fail closed (seed 002: no fallback). */
  getOrderTickets: defineRoute({
    method: 'GET',
    path: '/internal/orders/:orderId/tickets',
    params: Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 128 }) }),
    response: OrderTicketsResponse,
    failure: failClosed(),
  }),
  /** A write: retried only because it carries an Idempotency-Key; no fallback. */
  transferTicket: defineRoute({
    method: 'POST',
    path: '/internal/tickets/:ticketId/transfer',
    params: TicketIdParams,
    body: TransferTicketBody,
    response: TransferTicketResponse,
    failure: none(),
    idempotencyKey: true,
  }),
};

export type TicketServiceClient = TypedClient<typeof ticketServiceRoutes>;

/** The ticket-service client of seed 004, over a service client for that target. */
export function createTicketServiceClient(client: ServiceClient): TicketServiceClient {
  return createTypedClient(client, ticketServiceRoutes);
}
