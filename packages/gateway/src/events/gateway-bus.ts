import {
  BUS_SUBJECT_SCHEME,
  type Bus,
  createBus,
  createMemoryTransport,
  createNatsTransport,
  createSchemaRegistry,
} from '@interlink/bus';
import type { NatsConnection } from '@nats-io/transport-node';
import { type BusEventSource, type BusEventSourceOptions, createBusEventSource } from './bus-event-source.js';
import {
  entityTypeSet,
  gatewaySeed003Format,
  gatewaySubjectScheme,
  SEED_003_ENTITY_EVENT_TYPES,
} from './seed-003-routing.js';

/**
 * How events sit on NATS (`GATEWAY_LAYOUT`): `gateway`, seed 003's subjects `{prefix}.{tenant}` and
 * `{prefix}.{tenant}.{user}` with the type in the `Interlink-Event-Type` header; `bus`, the bus's
 * own `{prefix}.{tenant}.{user|_}.{type}`. Bodies are the bus's CloudEvents envelopes in both; the
 * `gateway` layout also reads seed 003's own messages and its entity subjects (`entityEventTypes`).
 */
export type GatewayLayout = 'gateway' | 'bus';

export interface GatewayBusOptions {
  /** Events on NATS JetStream over this connection (closed by the caller); in memory without it. */
  nc?: NatsConnection;
  /** The JetStream stream; `GATEWAY_EVENTS` by default. Created when missing, with `<stream>_DLQ`. */
  stream?: string;
  /** First subject token; `events` (seed 003) by default. */
  subjectPrefix?: string;
  layout?: GatewayLayout;
  /**
   * `gateway` layout: the one-word types of seed 003's entity events sharing the prefix
   * (`{prefix}.{tenant}.{type}`), which go to the tenant; any other three-token subject is a
   * user's. Seed 003's `['created', 'updated', 'deleted']` by default.
   */
  entityEventTypes?: readonly string[];
  /** Retention of a stream created here. */
  maxAgeMs?: number;
  maxMessages?: number;
  /** In memory: events kept for resume from history; 10,000 by default. */
  retainEvents?: number;
}

/**
 * The bus the gateway reads and publishes through. Its registry passes unregistered types: the
 * gateway relays whatever services publish to browsers without knowing their schemas.
 */
export async function createGatewayBus(options: GatewayBusOptions = {}): Promise<Bus> {
  const registry = createSchemaRegistry({ unknownTypes: 'pass' });
  // Seed 003's own services publish on the `gateway` layout's subjects, in their own format.
  const seed =
    options.layout === 'bus'
      ? undefined
      : entityTypeSet(options.entityEventTypes ?? SEED_003_ENTITY_EVENT_TYPES);
  const transport = options.nc
    ? await createNatsTransport({
        connection: options.nc,
        stream: options.stream ?? 'GATEWAY_EVENTS',
        subjectPrefix: options.subjectPrefix ?? 'events',
        subjects: seed ? gatewaySubjectScheme(seed) : BUS_SUBJECT_SCHEME,
        retention: {
          ...(options.maxAgeMs ? { maxAgeMs: options.maxAgeMs } : {}),
          ...(options.maxMessages ? { maxMessages: options.maxMessages } : {}),
        },
      })
    : createMemoryTransport(options.retainEvents ? { retainEvents: options.retainEvents } : {});
  return createBus({
    transport,
    registry,
    source: '/interlink-gateway',
    ...(seed ? { legacyFormats: [gatewaySeed003Format(seed)] } : {}),
  });
}

/**
 * The gateway's event source on a bus of its own ({@link createGatewayBus}): what the entries use.
 * Closing the source closes the bus (not the NATS connection, which the caller owns).
 */
export async function createGatewayEvents(
  options: GatewayBusOptions & Omit<BusEventSourceOptions, 'bus'> = {},
): Promise<BusEventSource> {
  const bus = await createGatewayBus(options);
  let source: BusEventSource;
  try {
    source = await createBusEventSource({
      // In memory the log keeps `retainEvents`: the live read must never lag by that many.
      ...(options.nc ? {} : { maxPublishLag: Math.max(1, Math.floor((options.retainEvents ?? 10_000) / 2)) }),
      ...options,
      bus,
    });
  } catch (error) {
    await bus.close();
    throw error;
  }
  return {
    ...source,
    async close() {
      await source.close();
      await bus.close();
    },
  };
}
