import { createEvent, type EventInput } from '../envelope/create-event.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import type { SchemaRegistry } from '../envelope/schema-registry.js';
import { BusError } from '../errors/bus-error-codes.js';
import {
  type PositionedDelivery,
  type PositionedLog,
  type PositionedSubscribeOptions,
  type PositionedSubscription,
  type PositionInfo,
  positionedSubscription,
} from '../transport/positioned.js';
import type { OutgoingMessage, Transport } from '../transport/transport.js';

/** An event of the log with its position. */
export interface PositionedEvent<T = unknown> {
  position: number;
  /** Decoded, validated and upcast to the newest version of its type. */
  event: EventEnvelope<T>;
}

export interface BusPositionedSubscribeOptions extends PositionedSubscribeOptions {
  /**
   * Told about a stored message that is not a valid event of the registry; the subscription skips
   * it (an ordered read has no dead letters, and one bad message must not stop every reader).
   */
  onInvalid?: (position: number, error: unknown) => void;
}

/**
 * Reads of the transport's ordered log as events: what a reader that resumes by position (the
 * realtime gateway's `Last-Event-ID`) needs. Every method throws `ERR_BUS_UNSUPPORTED` on a
 * transport without a log (RabbitMQ, Redis pub/sub).
 */
export interface PositionedBus {
  /** Epoch, oldest and newest position of the log. */
  info(): Promise<PositionInfo>;
  /** Publishes like `bus.publish` and resolves with the event's position too. */
  publish<T>(input: EventInput<T>): Promise<PositionedEvent<T>>;
  /**
   * One ordered read of the log (on NATS one ordered consumer, whatever the number of scopes).
   * Rejects with `ERR_BUS_POSITION_GONE` when `start: { after }` is older than the log holds.
   */
  subscribe<T = unknown>(
    options?: BusPositionedSubscribeOptions,
  ): Promise<PositionedSubscription<PositionedEvent<T>>>;
}

export interface PositionedBusDeps {
  transport: Transport;
  registry: SchemaRegistry;
  source: string;
  /** The outgoing message of an envelope, as the bus publishes it. */
  toMessage(event: EventEnvelope): OutgoingMessage;
  /** Counts a published event, as `bus.publish` does. */
  published(event: EventEnvelope): void;
  /** The event of a stored message, in whichever format it was written (as `bus.subscribe` reads). */
  read(delivery: Pick<PositionedDelivery, 'body' | 'headers'>): EventEnvelope;
}

export function createPositionedBus(deps: PositionedBusDeps): PositionedBus {
  const { transport, registry, source } = deps;

  function log(): PositionedLog {
    const found = transport.positioned;
    if (!found) {
      throw new BusError(
        'ERR_BUS_UNSUPPORTED',
        `The ${transport.name} transport keeps no positions: use NATS JetStream or the memory transport`,
      );
    }
    return found;
  }

  return {
    info: async () => log().info(),
    async publish(input) {
      const positioned = log();
      const event = createEvent(input, { registry, source });
      const position = await positioned.publish(deps.toMessage(event));
      deps.published(event);
      return { position, event };
    },
    async subscribe<T>(options: BusPositionedSubscribeOptions = {}) {
      const { onInvalid, ...rest } = options;
      const deliveries = await log().subscribe(rest);
      async function* decode(): AsyncGenerator<PositionedEvent<T>> {
        for await (const delivery of deliveries) {
          let event: EventEnvelope;
          try {
            event = deps.read(delivery);
          } catch (error) {
            onInvalid?.(delivery.position, error);
            continue;
          }
          yield { position: delivery.position, event: event as EventEnvelope<T> };
        }
      }
      return positionedSubscription(deliveries.startAfter, deliveries.opened, decode, () =>
        deliveries.close(),
      );
    },
  };
}
