import { defineRoute, failClosed } from '@interlink/client';
import { type Static, Type } from '@sinclair/typebox';
import { Cents, Count, CurrencyCode, StringEnum, Text } from './schemas/scalars.js';
import { Timestamp } from './schemas/timestamp.js';
import { Uuid } from './schemas/uuid.js';
import { defineServiceContract } from './service-contract.js';

// Seed 002 §"Internal Endpoint Patterns" (its four routes) with seed 004 §3.5's response shapes.

/** An order's state; seed 002's events name the transitions and its reconciliation looks for `PAID`. */
export const OrderStatus = StringEnum(
  ['PENDING', 'RESERVED', 'PAID', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'REFUNDED', 'FAILED'],
  { title: 'OrderStatus' },
);

export const OrderSummary = Type.Object({
  id: Uuid(),
  orderNumber: Text(50),
  userId: Uuid(),
  eventId: Uuid(),
  status: OrderStatus,
  totalCents: Cents(),
  currency: CurrencyCode(),
  createdAt: Timestamp(),
});

export const OrderItem = Type.Object({
  id: Uuid(),
  ticketTypeId: Uuid(),
  quantity: Type.Integer({ minimum: 1 }),
  unitPriceCents: Cents(),
});

export const OrderResponse = Type.Object({ order: OrderSummary, items: Type.Array(OrderItem) });
export type OrderResponse = Static<typeof OrderResponse>;

export const OrderItemsResponse = Type.Object({
  orderId: Uuid(),
  items: Type.Array(
    Type.Object({
      id: Uuid(),
      ticketTypeId: Uuid(),
      /** Present once the item's ticket is issued. */
      ticketId: Type.Optional(Uuid()),
      quantity: Type.Integer({ minimum: 1 }),
    }),
  ),
});
export type OrderItemsResponse = Static<typeof OrderItemsResponse>;

export const OrdersWithoutTicketsQuery = Type.Object(
  {
    minutesOld: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_080, default: 5 })),
    status: Type.Optional(StringEnum(['PAID', 'CONFIRMED'])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const OrdersWithoutTicketsResponse = Type.Object({
  orders: Type.Array(OrderSummary),
  count: Count(),
});
export type OrdersWithoutTicketsResponse = Static<typeof OrdersWithoutTicketsResponse>;

export const OrderForPaymentResponse = Type.Object({
  order: Type.Object({
    ...OrderSummary.properties,
    paymentIntentId: Type.Optional(Text(255)),
    /** For optimistic locking: send it back with the payment's update. */
    version: Type.Integer({ minimum: 0 }),
    expiresAt: Type.Optional(Timestamp()),
  }),
  items: Type.Array(OrderItem),
  paymentContext: Type.Object({
    itemCount: Count(),
    ticketCount: Count(),
    canProcessPayment: Type.Boolean(),
    isExpired: Type.Boolean(),
    /** Why payment cannot proceed; empty when it can. */
    validationErrors: Type.Array(Text(200)),
  }),
});
export type OrderForPaymentResponse = Static<typeof OrderForPaymentResponse>;

const OrderIdParams = Type.Object({ orderId: Uuid() });

/** order-service's internal API, version 1 (seed 002, seed 004 §3). */
export const orderServiceContract = defineServiceContract({
  service: 'order-service',
  version: '1',
  title: 'order-service internal API',
  routes: {
    getOrder: defineRoute({
      method: 'GET',
      path: '/internal/orders/:orderId',
      params: OrderIdParams,
      response: OrderResponse,
      failure: failClosed(),
    }),
    getOrderItems: defineRoute({
      method: 'GET',
      path: '/internal/orders/:orderId/items',
      params: OrderIdParams,
      response: OrderItemsResponse,
      failure: failClosed(),
    }),
    getOrdersWithoutTickets: defineRoute({
      method: 'GET',
      path: '/internal/orders/without-tickets',
      query: OrdersWithoutTicketsQuery,
      response: OrdersWithoutTicketsResponse,
    }),
    /** Payment acts on `canProcessPayment`: fail closed. */
    getOrderForPayment: defineRoute({
      method: 'GET',
      path: '/internal/orders/:orderId/for-payment',
      params: OrderIdParams,
      response: OrderForPaymentResponse,
      failure: failClosed(),
    }),
  },
  docs: {
    getOrder: {
      summary: 'An order with its items',
      permission: 'orders:read',
      consumers: ['payment-service', 'blockchain-service'],
      problems: [404],
    },
    getOrderItems: {
      summary: 'An order’s items with their ticket ids, for minting',
      permission: 'orders:read',
      consumers: ['blockchain-service'],
      problems: [404],
    },
    getOrdersWithoutTickets: {
      summary:
        'Paid orders older than `minutesOld` that never got tickets (reconciliation), at most `limit` (≤ 500)',
      permission: 'orders:reconcile',
      consumers: ['payment-service'],
    },
    getOrderForPayment: {
      summary: 'An order with its items and payment context (can it be paid, expired, why not, version)',
      permission: 'orders:read',
      consumers: ['payment-service'],
      problems: [404],
    },
  },
});
