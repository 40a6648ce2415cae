import type { Redis } from 'ioredis';
import { DEFAULT_MAX_EVENT_BYTES } from '../envelope/encode-event.js';
import { BusError } from '../errors/bus-error-codes.js';
import { isTopic, topicMatches } from '../transport/topic.js';
import type { DeliveryHandler, OutgoingMessage, Subscription, Transport } from '../transport/transport.js';
import { assertPublishable, checkSubscription } from '../transport/transport-guards.js';

export interface RedisPubSubTransportOptions {
  /** Publishing connection; subscriptions use a `duplicate()` of it, closed with the transport. */
  redis: Redis;
  /** Channels are `<channel>:<type>`; default `analytics:events` (seed 000's live feed). */
  channel?: string;
  /**
   * `type-channels` (default): each event on `<channel>:<type>`. `channel`: every event on
   * `<channel>` itself, where seed 000's subscriber listens (with `SEED_000_ANALYTICS_FORMAT`).
   * Subscriptions read both, whichever a publisher uses.
   */
  publishTo?: 'type-channels' | 'channel';
  maxBytes?: number;
  /** Messages waiting for a free handler per subscription before new ones are dropped; default 1000. */
  queueLimit?: number;
  /** Told about each message dropped (full queue or a handler that threw). */
  onDrop?: (topic: string, reason: string) => void;
}

/**
 * The type of a message on the bare channel, which carries every type (seed 000's feed): the
 * body's `type` (structured CloudEvents or seed 000's flat object); undefined when unreadable.
 */
function sharedChannelTopic(body: Buffer): string | undefined {
  try {
    const type = (JSON.parse(body.toString('utf8')) as { type?: unknown } | null)?.type;
    return typeof type === 'string' && isTopic(type) ? type : undefined;
  } catch {
    return undefined;
  }
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
  const onTypeChannels = options.publishTo !== 'channel';
  let subscriber: Redis | undefined;
  const subscriptions = new Set<{ close(): Promise<void> }>();
  let closed = false;

  async function subscriberConnection(): Promise<Redis> {
    if (!subscriber) {
      subscriber = redis.duplicate();
      subscriber.on('error', () => {});
      // One pattern for every subscription; topic patterns are matched here, because a Redis glob
      // `*` would also match across dots. The bare channel is seed 000's: see sharedChannelTopic.
      await subscriber.psubscribe(`${channel}:*`);
      await subscriber.subscribe(channel);
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
        const target = onTypeChannels ? `${channel}:${message.topic}` : channel;
        await redis.publish(target, Buffer.from(message.body));
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
      const onMessage = (type: string | undefined, body: Buffer) => {
        // A message on the shared channel whose type cannot be read goes to every subscription,
        // whose bus reports it (onDrop): never a silent loss.
        if (stopping || (type !== undefined && !patterns.some((p) => topicMatches(p, type)))) return;
        const topic = type ?? '';
        if (queue.length >= queueLimit) return drop(topic, 'queue full');
        queue.push({ topic, body });
        pump();
      };
      const listener = (_pattern: Buffer, ch: Buffer, body: Buffer) =>
        onMessage(ch.toString().slice(channel.length + 1), body);
      const sharedListener = (_ch: Buffer, body: Buffer) =>
        onMessage(body.length > maxBytes ? undefined : sharedChannelTopic(body), body);
      conn.on('pmessageBuffer', listener);
      conn.on('messageBuffer', sharedListener);
      const subscription: Subscription = {
        group: opts.group,
        async close() {
          stopping = true;
          conn.removeListener('pmessageBuffer', listener);
          conn.removeListener('messageBuffer', sharedListener);
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
