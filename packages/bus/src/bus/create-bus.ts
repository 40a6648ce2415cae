import {
  isRetryable,
  newSpanId,
  newTraceId,
  parseTraceparent,
  parseTracestate,
  type RequestContext,
  runWithContext,
} from '@interlink/core';
import { type EventCodec, structuredCodec } from '../codecs/event-codec.js';
import type { LegacyFormat } from '../codecs/legacy-format.js';
import { type ReadDeliveryOptions, readDelivery } from '../codecs/read-delivery.js';
import { createEvent, type EventInput } from '../envelope/create-event.js';
import { createEventClock } from '../envelope/event-clock.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import type { SchemaRegistry } from '../envelope/schema-registry.js';
import type { BusMetrics } from '../metrics/bus-metrics.js';
import { failureReason } from '../transport/failure-reason.js';
import { normalizeSubscribeOptions } from '../transport/subscribe-options.js';
import type {
  Delivery,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
} from '../transport/transport.js';
import { createPositionedBus, type PositionedBus } from './positioned-bus.js';

export interface CreateBusOptions {
  transport: Transport;
  registry: SchemaRegistry;
  /** The CloudEvents `source` of events this bus publishes, e.g. `/order-service`. */
  source: string;
  metrics?: BusMetrics;
  /**
   * How this publisher writes events: `structuredCodec` (default), `binaryCodec` (CloudEvents binary
   * content mode; structured on Redis), or a seed's format during a migration (counted as legacy).
   */
  codec?: EventCodec;
  /**
   * Seed formats this bus's consumers accept besides CloudEvents (which is always read, in both
   * modes); each is off unless listed, and every message read through one is counted.
   */
  legacyFormats?: readonly LegacyFormat[];
  /** The `service` label of the legacy counter; default `source` without its leading `/`. */
  service?: string;
}

/** What a handler learns about the delivery besides the event. */
export interface HandlerInfo {
  /** 1 for the first delivery. */
  attempt: number;
  topic: string;
}

/** Handles one event, already upcast to the newest version of its type. */
export type EventHandler<T = unknown> = (event: EventEnvelope<T>, info: HandlerInfo) => Promise<void>;

export interface Bus {
  readonly transport: Transport;
  readonly registry: SchemaRegistry;
  /**
   * Validates, encodes and publishes an event; resolves with the envelope once the broker holds it
   * durably. Throws `ERR_BUS_*` before sending for anything invalid or oversized.
   */
  publish<T>(input: EventInput<T>): Promise<EventEnvelope<T>>;
  /** Publishes an envelope built earlier (by the outbox), validating it again. */
  publishEnvelope(event: EventEnvelope): Promise<void>;
  /**
   * Subscribes a handler to topic patterns (`order.*`, `messages.#`) in a consumer group. The
   * handler runs in a request context carrying the event's trace, tenant and user. An event that
   * cannot be read or does not match its schema is dead-lettered at once.
   */
  subscribe<T = unknown>(
    patterns: string | readonly string[],
    handler: EventHandler<T>,
    options: SubscribeOptions,
  ): Promise<Subscription>;
  /** Reads and publishes by position in the transport's ordered log (NATS JetStream, memory). */
  readonly positioned: PositionedBus;
  close(): Promise<void>;
}

function contextFor(event: EventEnvelope): RequestContext {
  const parent = parseTraceparent(event.traceparent);
  const tracestate = parent ? parseTracestate(event.tracestate) : undefined;
  const ctx: RequestContext = {
    requestId: event.id,
    trace: parent
      ? { traceId: parent.traceId, spanId: newSpanId(), parentSpanId: parent.parentId, flags: parent.flags }
      : { traceId: newTraceId(), spanId: newSpanId(), flags: 0 },
  };
  if (tracestate) ctx.trace.tracestate = tracestate;
  if (event.tenantid !== undefined) ctx.tenantId = event.tenantid;
  if (event.userid !== undefined) ctx.userId = event.userid;
  return ctx;
}

/** The bus: the envelope and its schemas in front of one transport. */
export function createBus(options: CreateBusOptions): Bus {
  const { transport, registry, source, metrics } = options;
  const codec = options.codec ?? structuredCodec;
  const service = options.service ?? source.replace(/^\//, '');
  const encodeContext = { transport: transport.name, maxBytes: transport.maxBytes };
  const eventOptions = { registry, source, clock: createEventClock() };
  const readOptions: ReadDeliveryOptions = {
    registry,
    maxBytes: transport.maxBytes,
    legacy: options.legacyFormats ?? [],
  };

  function toMessage(event: EventEnvelope): OutgoingMessage {
    const { body, headers, contentType } = codec.encode(event, encodeContext);
    // Optional fields assigned, not spread from temporary objects: this runs for every publish.
    const message: OutgoingMessage = { id: event.id, topic: event.type, body, headers };
    if (contentType !== undefined) message.contentType = contentType;
    if (event.tenantid !== undefined) message.tenantId = event.tenantid;
    if (event.userid !== undefined) message.userId = event.userid;
    return message;
  }

  function published(event: EventEnvelope): void {
    metrics?.published.inc({ transport: transport.name, type: event.type });
    if (codec.legacy)
      metrics?.legacy.inc({ direction: 'write', format: codec.name, type: event.type, service });
  }

  /**
   * The delivery's event in whatever format it came; counts legacy reads, and refusals of a
   * consumer group's deliveries (dead-lettered; a positioned read skips them instead).
   */
  function read(delivery: Pick<Delivery, 'id' | 'body' | 'headers'>, group?: string): EventEnvelope {
    try {
      const { event, format, legacy } = readDelivery(delivery, readOptions);
      if (legacy) metrics?.legacy.inc({ direction: 'read', format, type: event.type, service });
      return event;
    } catch (error) {
      const code = failureReason(error).code ?? 'unknown';
      if (group !== undefined) metrics?.rejected.inc({ transport: transport.name, group, code });
      throw error;
    }
  }

  /** Publishes; the transport's own promise when nothing is counted, so no await is added. */
  function send(event: EventEnvelope): Promise<void> {
    const sent = transport.publish(toMessage(event));
    return metrics === undefined ? sent : sent.then(() => published(event));
  }

  return {
    transport,
    registry,
    positioned: createPositionedBus({
      transport,
      registry,
      source,
      toMessage,
      published,
      read: (delivery) => read({ id: '', ...delivery }),
    }),
    async publish(input) {
      const event = createEvent(input, eventOptions);
      await send(event);
      return event;
    },
    async publishEnvelope(event) {
      registry.validate(event.type, event.dataversion, event.data);
      await send(event);
    },
    subscribe(patterns, handler, subscribeOptions) {
      const list = typeof patterns === 'string' ? [patterns] : patterns;
      const group = subscribeOptions.group;
      const { maxDeliver } = normalizeSubscribeOptions(subscribeOptions);
      return transport.subscribe(
        list,
        async (delivery) => {
          if (delivery.attempt > 1) metrics?.redelivered.inc({ transport: transport.name, group });
          const started = performance.now();
          let outcome = 'error';
          try {
            const event = read(delivery, group);
            await runWithContext(contextFor(event), () =>
              handler(event as EventEnvelope<never>, { attempt: delivery.attempt, topic: delivery.topic }),
            );
            outcome = 'ok';
          } catch (error) {
            if (!isRetryable(error) || delivery.attempt >= maxDeliver) {
              metrics?.deadLettered.inc({ transport: transport.name, group });
            }
            throw error;
          } finally {
            metrics?.handlerDuration.observe(
              { transport: transport.name, group, outcome },
              (performance.now() - started) / 1000,
            );
            metrics?.consumed.inc({ transport: transport.name, group, outcome });
          }
        },
        subscribeOptions,
      );
    },
    close: () => transport.close(),
  };
}
