// Seed preset: the seeds' event types, kept apart from the bus's own code until they move to
// packages/contracts (exported from `@interlink/bus/presets`, not the main entry).
import { type Static, Type } from '@sinclair/typebox';
import { ISO_DATE_TIME } from '../envelope/event-envelope.js';
import type { EventDefinition, SchemaRegistry } from '../envelope/schema-registry.js';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Cents = Type.Integer({ minimum: 0 });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const DateTime = Type.String({ pattern: ISO_DATE_TIME });

const OrderItem = Type.Object({
  ticketTypeId: Id,
  quantity: Type.Integer({ minimum: 1 }),
  unitPriceCents: Cents,
});

/** `order.created` v1: the seed's shape, with the total in major units (floating point). */
export const OrderCreatedV1 = Type.Object({
  orderId: Id,
  userId: Id,
  eventId: Id,
  items: Type.Array(OrderItem, { minItems: 1 }),
  total: Type.Number({ minimum: 0 }),
  currency: Currency,
});

/** `order.created` v2: the total in integer cents, so no consumer rounds money. */
export const OrderCreatedV2 = Type.Object({
  orderId: Id,
  userId: Id,
  eventId: Id,
  items: Type.Array(OrderItem, { minItems: 1 }),
  totalCents: Cents,
  currency: Currency,
});
export type OrderCreated = Static<typeof OrderCreatedV2>;

export const OrderReserved = Type.Object({ orderId: Id, reservedUntil: DateTime });
export const OrderConfirmed = Type.Object({ orderId: Id, paymentIntentId: Id, totalCents: Cents });
export const OrderCancelled = Type.Object({
  orderId: Id,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
});
export const OrderExpired = Type.Object({ orderId: Id, expiredAt: DateTime });
export const OrderRefunded = Type.Object({
  orderId: Id,
  refundCents: Cents,
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});
export const OrderFailed = Type.Object({
  orderId: Id,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
});

/** Seed 002's order event types (`OrderEvents` routing keys), every version. */
export const orderEventDefinitions: readonly EventDefinition[] = [
  { type: 'order.created', version: 1, schema: OrderCreatedV1 },
  {
    type: 'order.created',
    version: 2,
    schema: OrderCreatedV2,
    upcast: (previous) => {
      const { total, ...rest } = previous as Static<typeof OrderCreatedV1>;
      return { ...rest, totalCents: Math.round(total * 100) };
    },
  },
  { type: 'order.reserved', version: 1, schema: OrderReserved },
  { type: 'order.confirmed', version: 1, schema: OrderConfirmed },
  { type: 'order.cancelled', version: 1, schema: OrderCancelled },
  { type: 'order.expired', version: 1, schema: OrderExpired },
  { type: 'order.refunded', version: 1, schema: OrderRefunded },
  { type: 'order.failed', version: 1, schema: OrderFailed },
];

/** Registers {@link orderEventDefinitions}. */
export function registerOrderEvents(registry: SchemaRegistry): void {
  for (const definition of orderEventDefinitions) registry.register(definition);
}
