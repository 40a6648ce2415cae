import { Type } from '@sinclair/typebox';
import { Registry } from 'prom-client';
import { type CreateBusOptions, createBus } from '../bus/create-bus.js';
import { createBusMetrics } from '../metrics/bus-metrics.js';
import { createSeedRegistry } from '../presets/seed-registry.js';
import type { Transport } from '../transport/transport.js';

/** The seed registry plus seed 000's analytics type and seed 003's entity type the tests send. */
export function bridgeRegistry() {
  const registry = createSeedRegistry();
  registry.register({
    type: 'ticket-purchase',
    version: 1,
    schema: Type.Object({ venueId: Type.String(), quantity: Type.Integer({ minimum: 1 }) }),
  });
  registry.register({
    type: 'ticket.created',
    version: 1,
    schema: Type.Object({ ticketId: Type.String(), seat: Type.String() }),
  });
  return registry;
}

/**
 * An order event exactly as seed 002's `storeAndPublish` builds it (no `id`): `order.created` v1
 * with its float `total`, `JSON.stringify`'d with a `Date` timestamp.
 */
export function seed002OrderCreated(orderId: string, key: string, timestamp: Date) {
  return {
    version: 1,
    type: 'order.created',
    idempotencyKey: key,
    sequenceNumber: 4,
    aggregateId: orderId,
    payload: {
      orderId,
      userId: 'u-1',
      eventId: 'ev-1',
      items: [{ ticketTypeId: 'tt-1', quantity: 2, unitPriceCents: 1255 }],
      total: 25.1,
      currency: 'USD',
    },
    timestamp,
  };
}

/** A bus over `transport` with {@link bridgeRegistry}, its metrics on `metrics` (a fresh registry by default). */
export function meteredBus(
  transport: Transport,
  source: string,
  options: Pick<CreateBusOptions, 'codec' | 'legacyFormats'>,
  metrics: Registry = new Registry(),
) {
  const bus = createBus({
    transport,
    registry: bridgeRegistry(),
    source,
    ...options,
    metrics: createBusMetrics(metrics),
  });
  return { bus, metrics };
}
