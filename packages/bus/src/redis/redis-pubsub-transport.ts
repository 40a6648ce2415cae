import type { Redis } from 'ioredis';
import { DEFAULT_MAX_EVENT_BYTES } from '../envelope/encode-event.js';
import { BusError } from '../errors/bus-error-codes.js';
import { topicMatches } from '../transport/topic.js';
import type { DeliveryHandler, OutgoingMessage, Subscription, Transport } from '../transport/transport.js';
import { assertPublishable, checkSubscription } from '../transport/transport-guards.js';

export interface RedisPubSubTransportOptions {
  /** Publishing connection; subscriptions use a `duplicate()` of it, closed with the transport. */
  redis: Redis;
  /** Channels are `<channel>:<type>`; default `analytics:events` (seed 000's live feed). */
  channel?: string;
  maxBytes?: number;
  /** Messages waiting for a free handler per subscription before new ones are dropped; default 1000. */
  queueLimit?: number;
  /** Told about each message dropped (full queue or a handler that threw). */
  onDrop?: (topic: string, reason: string) => void;
}

/**
 * Redis pub/sub, explicitly at-most-once, for live dashboards only: a message goes to whoever is
 * subscribed at that instant and is gone. No acknowledgement, no redelivery, no dead letters, no
 * competing consumers (every subscription gets every message), no durability: `publish` resolves
 * when Redis has fanned the message out, not when anything is stored.
 */
export function createRedisPubSubTransport(options: RedisPubSubTransportOptions): Transport {
  const { redis } = options;
  const channel = options.channel ?? 'analytics:events';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const queueLimit = options.queueLimit ?? 1000;
  let subscriber: Redis | undefined;
  const subscriptions = new Set<{ close(): Promise<void> }>();
  let closed = false;

  async function subscriberConnection(): Promise<Redis> {
    if (!subscriber) {
      subscriber = redis.duplicate();
      subscriber.on('error', () => {});
      // One pattern for every subscription; topic patterns are matched here, because a Redis glob
      // `*` would also match across dots.
      await subscriber.psubscribe(`${channel}:*`);
    }
    return subscriber;
  }

  return {
    name: 'redis',
    maxBytes,
    deadLetters: undefined,
    pending: async () => undefined,
    async publish(message: OutgoingMessage) {
      assertPublishable(message, maxBytes, closed, 'Redis');
      try {
        await redis.publish(`${channel}:${message.topic}`, Buffer.from(message.body));
      } catch (cause) {
        throw new BusError('ERR_BUS_PUBLISH_FAILED', `Redis did not take ${message.topic}`, { cause });
      }
    },
    async subscribe(patterns, handler: DeliveryHandler, subscribeOptions) {
      const opts = checkSubscription(patterns, subscribeOptions, closed, 'Redis');
      const conn = await subscriberConnection();
      const queue: Array<{ topic: string; body: Buffer }> = [];
      const running = new Set<Promise<void>>();
      let stopping = false;
      const drop = (topic: string, reason: string) => options.onDrop?.(topic, reason);
      const pump = () => {
        while (!stopping && running.size < opts.concurrency && queue.length > 0) {
          const { topic, body } = queue.shift()!;
          const p = handler({ id: '', topic, body, headers: {}, attempt: 1 })
            .catch((error: unknown) => drop(topic, error instanceof Error ? error.message : String(error)))
            .finally(() => {
              running.delete(p);
              pump();
            });
          running.add(p);
        }
      };
      const onMessage = (ch: string, body: Buffer) => {
        const topic = ch.slice(channel.length + 1);
        if (stopping || !patterns.some((p) => topicMatches(p, topic))) return;
        if (queue.length >= queueLimit) return drop(topic, 'queue full');
        queue.push({ topic, body });
        pump();
      };
      const listener = (_pattern: Buffer, ch: Buffer, body: Buffer) => onMessage(ch.toString(), body);
      conn.on('pmessageBuffer', listener);
      const subscription: Subscription = {
        group: opts.group,
        async close() {
          stopping = true;
          conn.removeListener('pmessageBuffer', listener);
          subscriptions.delete(subscription);
          await Promise.allSettled([...running]);
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.close()));
      await subscriber?.quit().catch(() => {});
    },
  };
}
