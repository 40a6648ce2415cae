import type { DeadLetterStore } from '../dead-letters/dead-letter.js';
import type { PositionedLog } from './positioned.js';

/** A message as a transport carries it: the encoded envelope plus what routing needs. */
export interface OutgoingMessage {
  /** The event id; brokers that deduplicate (NATS `Nats-Msg-Id`) use it. */
  id: string;
  /** The event type, used as routing key / subject suffix (`order.created`). */
  topic: string;
  tenantId?: string;
  userId?: string;
  body: Uint8Array;
  headers?: Record<string, string>;
  /**
   * The body's media type when a codec gives it apart from `headers` (which then hold no
   * `content-type`): RabbitMQ sends it as the AMQP content-type property, without copying the
   * headers to take it out; the other transports send it as the `content-type` header.
   */
  contentType?: string;
}

/** One delivery of a message to one consumer. */
export interface Delivery {
  id: string;
  topic: string;
  body: Uint8Array;
  headers: Record<string, string>;
  /** 1 for the first delivery, 2 for the first redelivery, and so on. */
  attempt: number;
}

/** Resolves to acknowledge; throws to have the message redelivered (or dead-lettered). */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

/** Milliseconds to wait before redelivering after failed attempt number `attempt`. */
export type Backoff = (attempt: number) => number;

export interface SubscribeOptions {
  /**
   * The consumer group: subscriptions with the same group share the messages (competing
   * consumers); each group gets every matching message. A queue name on RabbitMQ, a durable
   * consumer on NATS.
   */
  group: string;
  /** Handlers running at once in this subscription; default 1. */
  concurrency?: number;
  /** Deliveries before a failing message is dead-lettered; default 5. */
  maxDeliver?: number;
  /** Delay before each redelivery; default {@link exponentialBackoff}(). */
  backoff?: Backoff;
}

export interface Subscription {
  readonly group: string;
  /** Stops taking messages and resolves once every in-flight handler has finished. */
  close(): Promise<void>;
}

/**
 * One interface over every broker. `publish` resolves only once the broker holds the message
 * durably (or rejects with `ERR_BUS_PUBLISH_FAILED`); a subscription acknowledges after its handler
 * resolves, redelivers with backoff when it throws, and dead-letters after `maxDeliver` attempts or
 * at once for an error no retry can fix (core's `isRetryable` says `false`).
 */
export interface Transport {
  /** `memory`, `nats`, `rabbitmq`, `redis`. */
  readonly name: string;
  /** Largest encoded event this transport accepts. */
  readonly maxBytes: number;
  publish(message: OutgoingMessage): Promise<void>;
  subscribe(
    patterns: readonly string[],
    handler: DeliveryHandler,
    options: SubscribeOptions,
  ): Promise<Subscription>;
  /**
   * Messages waiting for `group` that no consumer has taken yet (consumer lag), as the broker
   * reports it; `undefined` where the broker keeps no backlog (Redis pub/sub).
   */
  pending(group: string): Promise<number | undefined>;
  /** Dead letters of this transport; `undefined` for at-most-once transports that keep none. */
  readonly deadLetters: DeadLetterStore | undefined;
  /**
   * Reads of the transport's ordered log by position (NATS JetStream, memory); `undefined` where the
   * broker keeps no positions (RabbitMQ queues, Redis pub/sub).
   */
  readonly positioned?: PositionedLog;
  /** Closes subscriptions (finishing in-flight handlers), then the connection. */
  close(): Promise<void>;
}
