import { setTimeout as sleep } from 'node:timers/promises';
import { isRetryable } from '@interlink/core';
import type { Channel, ChannelModel, ConsumeMessage, Message } from 'amqplib';
import { defaultRedeliveryBackoff } from '../transport/redelivery-backoff.js';
import type { NormalizedSubscribeOptions } from '../transport/subscribe-options.js';
import type { Delivery, DeliveryHandler } from '../transport/transport.js';
import type { RabbitLink } from './rabbit-connection.js';
import type { GroupDeclaration } from './rabbit-declare-topology.js';
import { stringHeaders, topicOf } from './rabbit-message.js';
import { queueName, type RabbitTopology } from './rabbit-topology.js';

/** A subscription and the channel its consumer runs on now (none while it is being resumed). */
export interface ActiveSubscription {
  patterns: readonly string[];
  handler: DeliveryHandler;
  opts: NormalizedSubscribeOptions;
  channel: Channel | undefined;
  consumerTag: string | undefined;
  inFlight: Set<Promise<void>>;
  closing: boolean;
  abort: AbortController;
}

export interface RabbitConsumerOptions {
  topology: RabbitTopology;
  link: RabbitLink;
  /** The live subscriptions, which a reconnect resumes; a closed one leaves the set. */
  subscriptions: Set<ActiveSubscription>;
  reconnectDelay: (attempt: number) => number;
  /** Declares a group's queues and bindings on `ch` before its consumer starts. */
  declareGroup: (m: ChannelModel, ch: Channel, group: GroupDeclaration) => Promise<void>;
  /** Sends a message the group gave up on to its dead letters. */
  deadLetter: (group: string, msg: Message, attempts: number, error: unknown) => Promise<void>;
}

export interface RabbitConsumers {
  /** Opens the subscription's channel on `m`, declares its queue and starts consuming. */
  start(m: ChannelModel, sub: ActiveSubscription): Promise<void>;
  /** Cancels the consumer, lets running handlers finish, then closes the channel. */
  close(sub: ActiveSubscription): Promise<void>;
}

function quietly(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // The channel is gone; the broker redelivers whatever was not acknowledged.
  }
}

/**
 * Consumers: prefetch = concurrency, retries held for their backoff then returned to the queue
 * (the broker counts deliveries), dead letters past the limit, and a consumer whose channel alone
 * was lost started again with backoff.
 */
export function createRabbitConsumers(options: RabbitConsumerOptions): RabbitConsumers {
  const { topology, link, subscriptions, reconnectDelay, deadLetter } = options;

  function onMessage(sub: ActiveSubscription, ch: Channel, msg: ConsumeMessage): void {
    const { group, maxDeliver } = sub.opts;
    const attempt = Number(msg.properties.headers?.['x-delivery-count'] ?? 0) + 1;
    const delivery: Delivery = {
      id: msg.properties.messageId ?? '',
      topic: topicOf(msg),
      body: msg.content,
      headers: stringHeaders(msg.properties.headers),
      attempt,
    };
    const backoff = sub.opts.backoff ?? defaultRedeliveryBackoff();
    const work = (async () => {
      if (attempt > maxDeliver) {
        await deadLetter(
          group,
          msg,
          maxDeliver,
          new Error('Delivery limit reached: the consumer stopped before acknowledging'),
        );
        quietly(() => ch.ack(msg));
        return;
      }
      try {
        await sub.handler(delivery);
      } catch (error) {
        if (!isRetryable(error) || attempt >= maxDeliver) {
          await deadLetter(group, msg, attempt, error);
          quietly(() => ch.ack(msg));
        } else {
          // Held for the backoff, then returned: the broker counts the return in x-delivery-count.
          await sleep(backoff(attempt), undefined, { signal: sub.abort.signal }).catch(() => {});
          quietly(() => ch.nack(msg, false, true));
        }
        return;
      }
      quietly(() => ch.ack(msg));
    })().catch(() => quietly(() => ch.nack(msg, false, true)));
    sub.inFlight.add(work);
    void work.finally(() => sub.inFlight.delete(work));
  }

  async function start(m: ChannelModel, sub: ActiveSubscription): Promise<void> {
    const ch = await m.createChannel();
    ch.on('error', () => {});
    await ch.prefetch(sub.opts.concurrency);
    await options.declareGroup(m, ch, {
      group: sub.opts.group,
      patterns: sub.patterns,
      maxDeliver: sub.opts.maxDeliver,
    });
    const { consumerTag } = await ch.consume(
      queueName(topology, sub.opts.group),
      (msg) => {
        if (msg && !sub.closing) onMessage(sub, ch, msg);
        else if (msg) quietly(() => ch.nack(msg, false, true));
        // null: the broker cancelled the consumer (its queue was deleted); start over below.
        else void ch.close().catch(() => {});
      },
      { noAck: false },
    );
    sub.channel = ch;
    sub.consumerTag = consumerTag;
    ch.on('close', () => {
      // A channel lost with its connection is resumed by the reconnect's setup; one lost alone is resumed here.
      if (sub.closing || sub.channel !== ch || link.model !== m) return;
      sub.channel = undefined;
      void (async () => {
        for (let attempt = 1; !sub.closing && !link.closed && link.model === m; attempt++) {
          await sleep(reconnectDelay(attempt));
          try {
            await start(m, sub);
            return;
          } catch {
            // Try again after the next delay.
          }
        }
      })();
    });
  }

  async function close(sub: ActiveSubscription): Promise<void> {
    if (sub.closing) return;
    sub.closing = true;
    subscriptions.delete(sub);
    const ch = sub.channel;
    if (ch && sub.consumerTag) await ch.cancel(sub.consumerTag).catch(() => {});
    sub.abort.abort();
    await Promise.allSettled([...sub.inFlight]);
    await ch?.close().catch(() => {});
  }

  return { start, close };
}
