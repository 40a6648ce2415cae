import { defineRoute, failClosed, none } from '@interlink/client';
import { type Static, Type } from '@sinclair/typebox';
import { Cents, Count, CurrencyCode, StringEnum, Text } from './schemas/scalars.js';
import { Timestamp } from './schemas/timestamp.js';
import { Uuid } from './schemas/uuid.js';
import { defineServiceContract } from './service-contract.js';

// Seed 004 §1: ticket-service's three existing internal routes and the four new ones. Where the
// seed gives no response shape (status, cancel-batch, calculate-price) the shape is what its
// consumers need (seed 002's refund checks, the issue's refusal list).

/** A ticket's state; `used` and `checked_in` count as attended (seed 004 §1.4.4). */
export const TicketStatus = StringEnum(
  ['reserved', 'sold', 'transferred', 'used', 'checked_in', 'cancelled', 'refunded'],
  { title: 'TicketStatus' },
);

/** A blockchain token id (a Solana mint address or a numeric id): letters and digits only. */
export const TokenId = Type.String({ pattern: '^[A-Za-z0-9]+$', minLength: 1, maxLength: 88 });

const TicketIdParams = Type.Object({ ticketId: Uuid() });

export const TicketStatusResponse = Type.Object({
  ticketId: Uuid(),
  status: TicketStatus,
  userId: Uuid(),
  eventId: Uuid(),
  /** Seed 002 refuses a refund of a ticket that changed hands. */
  hasBeenTransferred: Type.Boolean(),
});
export type TicketStatusResponse = Static<typeof TicketStatusResponse>;

export const CancelBatchBody = Type.Object(
  {
    ticketIds: Type.Array(Uuid(), { minItems: 1, maxItems: 100, uniqueItems: true }),
    reason: Text(500),
    /** The refund or order the cancellation belongs to, for the audit trail. */
    orderId: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);

export const CancelBatchResponse = Type.Object({
  /** True when every ticket was cancelled; otherwise nothing changed. */
  success: Type.Boolean(),
  cancelled: Type.Array(Uuid()),
  /** Tickets not cancelled and why; an id of another tenant reads as `not_found`. */
  refused: Type.Array(
    Type.Object({
      ticketId: Uuid(),
      reason: StringEnum(['not_found', 'invalid_status']),
    }),
  ),
});
export type CancelBatchResponse = Static<typeof CancelBatchResponse>;

export const CalculatePriceBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { ticketTypeId: Uuid(), quantity: Type.Integer({ minimum: 1, maximum: 100 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

export const CalculatePriceResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      ticketTypeId: Uuid(),
      quantity: Type.Integer({ minimum: 1 }),
      unitPriceCents: Cents(),
      lineTotalCents: Cents(),
    }),
  ),
  totalCents: Cents(),
  currency: CurrencyCode(),
});
export type CalculatePriceResponse = Static<typeof CalculatePriceResponse>;

export const TicketByTokenResponse = Type.Object({
  ticketId: Uuid(),
  tokenId: TokenId,
  userId: Uuid(),
  status: TicketStatus,
  eventId: Uuid(),
  isMinted: Type.Boolean(),
  mintTransactionId: Type.Optional(Text(128)),
});
export type TicketByTokenResponse = Static<typeof TicketByTokenResponse>;

export const OrderTicketsResponse = Type.Object({
  orderId: Uuid(),
  tickets: Type.Array(
    Type.Object({
      id: Uuid(),
      ticketTypeId: Uuid(),
      ticketTypeName: Text(200),
      status: TicketStatus,
      userId: Uuid(),
      eventId: Uuid(),
      priceCents: Cents(),
    }),
  ),
  count: Count(),
});
export type OrderTicketsResponse = Static<typeof OrderTicketsResponse>;

export const TransferTicketBody = Type.Object(
  { fromUserId: Uuid(), toUserId: Uuid(), reason: Type.Optional(Text(500)) },
  { additionalProperties: false },
);

export const TransferTicketResponse = Type.Object({
  success: Type.Boolean(),
  transfer: Type.Object({
    id: Uuid(),
    ticketId: Uuid(),
    fromUserId: Uuid(),
    toUserId: Uuid(),
    status: Text(50),
    transferredAt: Timestamp(),
  }),
});
export type TransferTicketResponse = Static<typeof TransferTicketResponse>;

export const EventsAttendedResponse = Type.Object({
  userId: Uuid(),
  eventsAttended: Count(),
  events: Type.Optional(Type.Array(Type.Object({ eventId: Uuid(), attendedAt: Timestamp() }))),
});
export type EventsAttendedResponse = Static<typeof EventsAttendedResponse>;

/** ticket-service's internal API, version 1 (seed 004 §1). */
export const ticketServiceContract = defineServiceContract({
  service: 'ticket-service',
  version: '1',
  title: 'ticket-service internal API',
  routes: {
    /** A refund decision rests on it: fail closed. */
    getTicketStatus: defineRoute({
      method: 'GET',
      path: '/internal/tickets/:ticketId/status',
      params: TicketIdParams,
      response: TicketStatusResponse,
      failure: failClosed(),
    }),
    /** A write: retried only because it carries an Idempotency-Key. */
    cancelBatch: defineRoute({
      method: 'POST',
      path: '/internal/tickets/cancel-batch',
      body: CancelBatchBody,
      response: CancelBatchResponse,
      failure: none(),
      idempotencyKey: true,
    }),
    /** A computation with no side effect, but a POST: not retried. */
    calculatePrice: defineRoute({
      method: 'POST',
      path: '/internal/tickets/calculate-price',
      body: CalculatePriceBody,
      response: CalculatePriceResponse,
      failure: failClosed(),
    }),
    getTicketByToken: defineRoute({
      method: 'GET',
      path: '/internal/tickets/by-token/:tokenId',
      params: Type.Object({ tokenId: TokenId }),
      response: TicketByTokenResponse,
      failure: failClosed(),
    }),
    /** Payment and blockchain services act on the answer: fail closed (seed 002: no fallback). */
    getOrderTickets: defineRoute({
      method: 'GET',
      path: '/internal/orders/:orderId/tickets',
      params: Type.Object({ orderId: Uuid() }),
      response: OrderTicketsResponse,
      failure: failClosed(),
    }),
    transferTicket: defineRoute({
      method: 'POST',
      path: '/internal/tickets/:ticketId/transfer',
      params: TicketIdParams,
      body: TransferTicketBody,
      response: TransferTicketResponse,
      failure: none(),
      idempotencyKey: true,
    }),
    getEventsAttended: defineRoute({
      method: 'GET',
      path: '/internal/users/:userId/events-attended',
      params: Type.Object({ userId: Uuid() }),
      response: EventsAttendedResponse,
    }),
  },
  docs: {
    getTicketStatus: {
      summary: "A ticket's status, owner and whether it was transferred, for refund eligibility",
      permission: 'tickets:read',
      consumers: ['payment-service', 'venue-service'],
      problems: [404],
    },
    cancelBatch: {
      summary: 'Cancels tickets for a refund, all or none; says which were refused and why',
      permission: 'tickets:cancel',
      consumers: ['payment-service'],
    },
    calculatePrice: {
      summary: 'The total price of ticket types and quantities; an unknown ticket type is a 404',
      permission: 'tickets:price',
      consumers: ['order-service'],
      problems: [404],
    },
    getTicketByToken: {
      summary: 'The ticket minted as a blockchain token id',
      permission: 'tickets:read',
      consumers: ['blockchain-indexer'],
      problems: [404],
    },
    getOrderTickets: {
      summary: "An order's tickets with type, owner, event and price",
      permission: 'tickets:read',
      consumers: ['payment-service', 'blockchain-service'],
      problems: [404],
    },
    transferTicket: {
      summary: 'Moves a ticket to another user of the same tenant; 409 when it cannot move',
      permission: 'tickets:transfer',
      consumers: ['transfer-service'],
      problems: [404, 409],
    },
    getEventsAttended: {
      summary: 'How many distinct events a user attended (tickets used or checked in)',
      permission: 'tickets:read',
      consumers: ['auth-service'],
      problems: [404],
    },
  },
});
