import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { exponentialBackoff, isRetryable } from '@interlink/core';
import {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  connect,
  type GetMessage,
  type Message,
  type RecoveringChannelModel,
} from 'amqplib';
import { DEAD_LETTER_HEADERS, type DeadLetter, type DeadLetterStore } from '../dead-letters/dead-letter.js';
import { DEFAULT_MAX_EVENT_BYTES } from '../envelope/encode-event.js';
import { BusError } from '../errors/bus-error-codes.js';
import { SEED_RABBIT_TOPOLOGY } from '../presets/seed-rabbit-topology.js';
import { failureReason } from '../transport/failure-reason.js';
import { defaultRedeliveryBackoff } from '../transport/redelivery-backoff.js';
import {
  type NormalizedSubscribeOptions,
  normalizeSubscribeOptions,
} from '../transport/subscribe-options.js';
import { assertPattern, assertTopic } from '../transport/topic.js';
import type { Delivery, DeliveryHandler, OutgoingMessage, Transport } from '../transport/transport.js';
import { deadLetterQueueName, queueName, type RabbitTopology } from './rabbit-topology.js';

export interface RabbitTransportOptions {
  /** Default `amqp://guest:guest@127.0.0.1:5672`. */
  url?: string;
  /** Default {@link SEED_RABBIT_TOPOLOGY}. */
  topology?: RabbitTopology;
  /** Default 1 MiB. */
  maxBytes?: number;
  /** How long publish waits for the broker's confirm; default 5 s. */
  publishTimeoutMs?: number;
  /** Delivery limit of the queues declared at connect (seed queues); default 5. */
  defaultMaxDeliver?: number;
  /** Reconnect delays: from `initialMs` (1 s) doubling to `maxMs` (30 s), with 30 % jitter (seed 002). */
  reconnect?: { initialMs?: number; maxMs?: number };
  /** Shown by the broker (`connection_name`), so operators can tell connections apart. */
  connectionName?: string;
  /** Told about connection losses and failed reconnects (the transport itself keeps retrying). */
  onConnectionEvent?: (event: 'connect' | 'disconnect' | 'connect-failed', error?: Error) => void;
}

const DEAD_ID_HEADER = 'interlink-dead-id';

interface ActiveSubscription {
  patterns: readonly string[];
  handler: DeliveryHandler;
  opts: NormalizedSubscribeOptions;
  channel: Channel | undefined;
  consumerTag: string | undefined;
  inFlight: Set<Promise<void>>;
  closing: boolean;
  abort: AbortController;
}

/** The event type: the `type` property, or the routing key for messages from other publishers. */
function topicOf(msg: Message): string {
  return msg.properties.type || msg.fields.routingKey;
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out[k.toLowerCase()] = String(v);
  }
  return out;
}

function quietly(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // The channel is gone; the broker redelivers whatever was not acknowledged.
  }
}

/**
 * RabbitMQ transport (amqplib): publisher confirms, quorum queues with a delivery limit and a
 * dead-letter exchange, prefetch = concurrency, and reconnection with backoff that re-declares the
 * topology and resumes every subscription.
 */
export async function createRabbitTransport(options: RabbitTransportOptions = {}): Promise<Transport> {
  const topology = options.topology ?? SEED_RABBIT_TOPOLOGY;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const publishTimeout = options.publishTimeoutMs ?? 5000;
  const defaultMaxDeliver = options.defaultMaxDeliver ?? 5;
  const reconnectDelay = exponentialBackoff({
    initialMs: options.reconnect?.initialMs ?? 1000,
    maxMs: options.reconnect?.maxMs ?? 30_000,
    jitter: 0.3,
  });
  const subscriptions = new Set<ActiveSubscription>();
  // Message ids the broker returned as unroutable, counted until their publish's ack is seen.
  const returned = new Map<string, number>();
  /** True (once) when the broker returned this message id as unroutable. */
  function takeReturned(id: string | undefined): boolean {
    if (id === undefined) return false;
    const n = returned.get(id);
    if (n === undefined) return false;
    if (n <= 1) returned.delete(id);
    else returned.set(id, n - 1);
    return true;
  }
  const knownGroups = new Set(topology.queues.map((q) => q.group));
  let model: ChannelModel | undefined;
  let pub: ConfirmChannel | undefined;
  let closed = false;

  async function queueExists(m: ChannelModel, queue: string): Promise<boolean> {
    // checkQueue closes its channel when the queue is missing, so probe on a throwaway channel.
    const probe = await m.createChannel();
    probe.on('error', () => {});
    try {
      await probe.checkQueue(queue);
      await probe.close().catch(() => {});
      return true;
    } catch {
      return false;
    }
  }

  async function declareGroup(
    m: ChannelModel,
    ch: Channel,
    group: string,
    patterns: readonly string[],
    maxDeliver: number,
  ) {
    const queue = queueName(topology, group);
    const dlq = deadLetterQueueName(topology, group);
    await ch.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(dlq, topology.deadLetterExchange, queue);
    // Re-declaring with other arguments is a channel error; an existing queue keeps its own limit.
    if (!(await queueExists(m, queue))) {
      await ch.assertQueue(queue, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          // The broker's own limit is the safety net for consumers that die mid-handler; the
          // transport dead-letters first, with the reason, when a handler keeps throwing.
          'x-delivery-limit': maxDeliver,
          'x-dead-letter-exchange': topology.deadLetterExchange,
          'x-dead-letter-routing-key': queue,
        },
      });
    }
    for (const pattern of patterns) await ch.bindQueue(queue, topology.exchange, pattern);
  }

  async function confirmPublish(
    send: (ch: ConfirmChannel, done: (err: unknown) => void) => void,
    what: string,
    mandatoryId?: string,
  ): Promise<void> {
    const ch = pub;
    if (!ch)
      throw new BusError('ERR_BUS_PUBLISH_FAILED', `RabbitMQ is not connected; ${what} was not published`);
    await new Promise<void>((resolve, reject) => {
      const fail = (cause?: unknown) =>
        reject(new BusError('ERR_BUS_PUBLISH_FAILED', `RabbitMQ did not confirm ${what}`, { cause }));
      const timer = setTimeout(fail, publishTimeout);
      try {
        send(ch, (err) => {
          clearTimeout(timer);
          const unroutable = takeReturned(mandatoryId);
          if (err) fail(err);
          else if (unroutable) fail(new Error(`No queue is bound for ${what}: the broker returned it`));
          else resolve();
        });
      } catch (cause) {
        clearTimeout(timer);
        fail(cause);
      }
    });
  }

  async function deadLetter(group: string, msg: Message, attempts: number, error: unknown): Promise<void> {
    const { reason, code } = failureReason(error);
    const headers: Record<string, unknown> = {
      ...msg.properties.headers,
      [DEAD_ID_HEADER]: randomUUID(),
      [DEAD_LETTER_HEADERS.reason]: reason,
      [DEAD_LETTER_HEADERS.attempts]: attempts,
      [DEAD_LETTER_HEADERS.group]: group,
      [DEAD_LETTER_HEADERS.topic]: topicOf(msg),
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
      [DEAD_LETTER_HEADERS.eventId]: msg.properties.messageId ?? '',
    };
    if (code) headers[DEAD_LETTER_HEADERS.code] = code;
    await confirmPublish(
      (ch, done) =>
        ch.publish(
          topology.deadLetterExchange,
          queueName(topology, group),
          msg.content,
          {
            persistent: true,
            messageId: msg.properties.messageId,
            contentType: msg.properties.contentType,
            type: topicOf(msg),
            headers,
          },
          done,
        ),
      'a dead letter',
    );
  }

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

  async function startConsumer(m: ChannelModel, sub: ActiveSubscription): Promise<void> {
    const ch = await m.createChannel();
    ch.on('error', () => {});
    await ch.prefetch(sub.opts.concurrency);
    await declareGroup(m, ch, sub.opts.group, sub.patterns, sub.opts.maxDeliver);
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
      // A channel lost with its connection is resumed by setup(); one lost alone is resumed here.
      if (sub.closing || sub.channel !== ch || model !== m) return;
      sub.channel = undefined;
      void (async () => {
        for (let attempt = 1; !sub.closing && !closed && model === m; attempt++) {
          await sleep(reconnectDelay(attempt));
          try {
            await startConsumer(m, sub);
            return;
          } catch {
            // Try again after the next delay.
          }
        }
      })();
    });
  }

  /** Exchanges, seed queues, and the queue and bindings of every live subscription. */
  async function declareTopology(m: ChannelModel, ch: Channel): Promise<void> {
    await ch.assertExchange(topology.exchange, 'topic', { durable: true });
    await ch.assertExchange(topology.deadLetterExchange, 'direct', { durable: true });
    for (const q of topology.queues) await declareGroup(m, ch, q.group, q.patterns, defaultMaxDeliver);
    for (const sub of subscriptions) {
      if (!sub.closing) await declareGroup(m, ch, sub.opts.group, sub.patterns, sub.opts.maxDeliver);
    }
  }

  /**
   * The publishing channel, topology declared first. When the broker closes only this channel (a
   * deleted exchange, say) while the connection lives on, it is opened again, with backoff, and
   * the topology re-declared before anything is published on it, so no confirmed publish is routed
   * nowhere for want of a binding.
   */
  async function openPublisher(m: ChannelModel): Promise<ConfirmChannel> {
    const ch = await m.createConfirmChannel();
    ch.on('error', () => {});
    // Events are published `mandatory`: one that reaches no queue comes back (basic.return, which
    // the broker sends before the message's ack) and its publish fails instead of being confirmed
    // into nowhere. That happens when an exchange was deleted and re-declared and a publish landed
    // between the exchange and its bindings coming back: the broker acks such a message unrouted.
    ch.on('return', (msg: Message) => {
      const id = msg.properties.messageId;
      if (typeof id === 'string') returned.set(id, (returned.get(id) ?? 0) + 1);
    });
    await declareTopology(m, ch);
    ch.on('close', () => {
      if (pub !== ch) return;
      pub = undefined;
      void (async () => {
        for (let attempt = 1; !closed && model === m; attempt++) {
          try {
            const reopened = await openPublisher(m);
            // A reconnect may have replaced the connection meanwhile: never install a channel of
            // the old one over the new publisher.
            if (model === m && !closed) pub = reopened;
            else void reopened.close().catch(() => {});
            return;
          } catch {
            await sleep(reconnectDelay(attempt));
          }
        }
      })();
    });
    return ch;
  }

  // Runs after every (re)connect: the whole topology is declared again and consumers resume.
  async function setup(m: ChannelModel): Promise<void> {
    const ch = await openPublisher(m);
    for (const sub of subscriptions) if (!sub.closing) await startConsumer(m, sub);
    model = m;
    pub = ch;
  }

  const connection: RecoveringChannelModel = await connect(
    options.url ?? 'amqp://guest:guest@127.0.0.1:5672',
    {
      clientProperties: { connection_name: options.connectionName ?? 'interlink-bus' },
      // Without it Nagle's algorithm holds small frames (publish, ack) for ~40 ms each.
      noDelay: true,
      recovery: {
        maxRetries: Number.POSITIVE_INFINITY,
        initialMaxRetries: 0,
        calculateDelay: reconnectDelay,
        setup,
      },
    },
  );
  connection.on('error', () => {});
  connection.on('disconnect', (err: Error) => {
    pub = undefined;
    model = undefined;
    options.onConnectionEvent?.('disconnect', err);
  });
  connection.on('connect', () => options.onConnectionEvent?.('connect'));
  connection.on('connect-failed', (err: Error) => options.onConnectionEvent?.('connect-failed', err));

  async function closeSubscription(sub: ActiveSubscription): Promise<void> {
    if (sub.closing) return;
    sub.closing = true;
    subscriptions.delete(sub);
    const ch = sub.channel;
    if (ch && sub.consumerTag) await ch.cancel(sub.consumerTag).catch(() => {});
    sub.abort.abort();
    await Promise.allSettled([...sub.inFlight]);
    await ch?.close().catch(() => {});
  }

  const deadLetters = createRabbitDeadLetters({
    topology,
    knownGroups,
    model: () => model,
    requeue: (group, letter) =>
      confirmPublish(
        (ch, done) =>
          ch.sendToQueue(
            queueName(topology, group),
            Buffer.from(letter.body),
            {
              persistent: true,
              messageId: letter.eventId,
              contentType: 'application/cloudevents+json',
              type: letter.topic,
              headers: Object.fromEntries(
                Object.entries(letter.headers).filter(
                  ([k]) => !k.startsWith('interlink-dead-') && !k.startsWith('x-'),
                ),
              ),
            },
            done,
          ),
        'a replayed dead letter',
      ),
  });

  return {
    name: 'rabbitmq',
    maxBytes,
    deadLetters,
    async pending(group) {
      const m = model;
      if (!m) throw new BusError('ERR_BUS_NOT_CONNECTED', 'RabbitMQ is not connected');
      const ch = await m.createChannel();
      ch.on('error', () => {});
      try {
        return (await ch.checkQueue(queueName(topology, group))).messageCount;
      } catch {
        return 0; // no queue: nothing waits for a group that never subscribed
      } finally {
        await ch.close().catch(() => {});
      }
    },
    async publish(message: OutgoingMessage) {
      if (closed) throw new BusError('ERR_BUS_CLOSED', 'The RabbitMQ transport is closed');
      assertTopic(message.topic);
      if (message.body.byteLength > maxBytes) {
        throw new BusError(
          'ERR_BUS_MESSAGE_TOO_LARGE',
          `Message is ${message.body.byteLength} bytes; the limit is ${maxBytes}`,
        );
      }
      const body = Buffer.isBuffer(message.body) ? message.body : Buffer.from(message.body);
      const { 'content-type': contentType, ...headers } = message.headers ?? {};
      await confirmPublish(
        (ch, done) =>
          ch.publish(
            topology.exchange,
            message.topic,
            body,
            {
              persistent: true,
              messageId: message.id,
              contentType: contentType ?? 'application/octet-stream',
              // The event type rides in the `type` property: a replay through the default exchange
              // changes the routing key. Headers stay empty when there are none: a header table
              // costs quorum queues about a fifth of their publish throughput.
              type: message.topic,
              mandatory: true,
              ...(Object.keys(headers).length > 0 ? { headers } : {}),
            },
            done,
          ),
        message.topic,
        message.id,
      );
    },
    async subscribe(patterns, handler, subscribeOptions) {
      if (closed) throw new BusError('ERR_BUS_CLOSED', 'The RabbitMQ transport is closed');
      for (const p of patterns) assertPattern(p);
      const opts = normalizeSubscribeOptions(subscribeOptions);
      const sub: ActiveSubscription = {
        patterns,
        handler,
        opts,
        channel: undefined,
        consumerTag: undefined,
        inFlight: new Set(),
        closing: false,
        abort: new AbortController(),
      };
      const m = model;
      if (!m) throw new BusError('ERR_BUS_NOT_CONNECTED', 'RabbitMQ is not connected; cannot subscribe now');
      await startConsumer(m, sub);
      subscriptions.add(sub);
      knownGroups.add(opts.group);
      return { group: opts.group, close: () => closeSubscription(sub) };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map(closeSubscription));
      await pub?.waitForConfirms().catch(() => {});
      await connection.close();
    },
  };
}

interface RabbitDeadLetterDeps {
  topology: RabbitTopology;
  knownGroups: Set<string>;
  model: () => ChannelModel | undefined;
  requeue: (group: string, letter: DeadLetter) => Promise<void>;
}

function toDeadLetter(group: string, msg: GetMessage): DeadLetter {
  const h = stringHeaders(msg.properties.headers);
  const letter: DeadLetter = {
    id: `${group}/${h[DEAD_ID_HEADER] ?? msg.properties.messageId ?? ''}`,
    eventId: h[DEAD_LETTER_HEADERS.eventId] ?? msg.properties.messageId ?? '',
    topic: h[DEAD_LETTER_HEADERS.topic] ?? topicOf(msg),
    group,
    // Messages the broker dead-lettered itself (its delivery limit) carry only `x-death`.
    reason: h[DEAD_LETTER_HEADERS.reason] ?? 'delivery limit reached (dead-lettered by the broker)',
    attempts: Number(h[DEAD_LETTER_HEADERS.attempts] ?? h['x-delivery-count'] ?? 0),
    failedAt: h[DEAD_LETTER_HEADERS.failedAt] ?? '',
    body: msg.content,
    headers: h,
  };
  const code = h[DEAD_LETTER_HEADERS.code];
  if (code) letter.code = code;
  return letter;
}

// Dead letters are read by people, a few at a time: read the DLQ with basic.get and let the
// channel's close put everything not taken back.
function createRabbitDeadLetters(deps: RabbitDeadLetterDeps): DeadLetterStore {
  const { topology } = deps;

  async function withChannel<T>(fn: (ch: Channel) => Promise<T>): Promise<T> {
    const m = deps.model();
    if (!m) throw new BusError('ERR_BUS_NOT_CONNECTED', 'RabbitMQ is not connected');
    const ch = await m.createChannel();
    ch.on('error', () => {});
    try {
      return await fn(ch);
    } finally {
      await ch.close().catch(() => {});
    }
  }

  async function scan(
    groups: Iterable<string>,
    visit: (letter: DeadLetter, msg: GetMessage, ch: Channel) => Promise<'next' | 'stop'>,
    limit = 10_000,
  ): Promise<void> {
    await withChannel(async (ch) => {
      let seen = 0;
      for (const group of groups) {
        const dlq = deadLetterQueueName(topology, group);
        for (;;) {
          const msg = await ch.get(dlq, { noAck: false }).catch(() => false as const);
          if (!msg || seen++ >= limit) break;
          if ((await visit(toDeadLetter(group, msg), msg, ch)) === 'stop') return;
        }
      }
    });
  }

  function parseId(id: string): { group: string } {
    const slash = typeof id === 'string' ? id.indexOf('/') : -1;
    if (slash <= 0) throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', 'No such dead letter');
    return { group: id.slice(0, slash) };
  }

  async function take(id: string, then: (letter: DeadLetter) => Promise<void>): Promise<DeadLetter> {
    const { group } = parseId(id);
    let found: DeadLetter | undefined;
    await scan([group], async (letter, msg, ch) => {
      if (letter.id !== id) return 'next';
      await then(letter);
      ch.ack(msg);
      found = letter;
      return 'stop';
    });
    if (!found) throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `No dead letter ${id.slice(0, 200)}`);
    return found;
  }

  return {
    async list(opts = {}) {
      const limit = opts.limit ?? 100;
      const out: DeadLetter[] = [];
      await scan(opts.group ? [opts.group] : [...deps.knownGroups], async (letter) => {
        out.push(letter);
        return out.length >= limit ? 'stop' : 'next';
      });
      return out;
    },
    async get(id) {
      const { group } = parseId(id);
      let found: DeadLetter | undefined;
      await scan([group], async (letter) => {
        if (letter.id !== id) return 'next';
        found = letter;
        return 'stop';
      });
      if (!found) throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `No dead letter ${id.slice(0, 200)}`);
      return found;
    },
    async replay(id) {
      await take(id, (letter) => deps.requeue(letter.group, letter));
    },
    async purge(id) {
      if (id !== undefined) {
        await take(id, async () => {});
        return 1;
      }
      return withChannel(async (ch) => {
        let n = 0;
        for (const group of deps.knownGroups) {
          n += (await ch.purgeQueue(deadLetterQueueName(topology, group)).catch(() => ({ messageCount: 0 })))
            .messageCount;
        }
        return n;
      });
    },
  };
}
