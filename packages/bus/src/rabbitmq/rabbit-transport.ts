import { exponentialBackoff } from '@interlink/core';
import type { Options } from 'amqplib';
import { DEFAULT_MAX_EVENT_BYTES } from '../envelope/encode-event.js';
import { BusError } from '../errors/bus-error-codes.js';
import { SEED_RABBIT_TOPOLOGY } from '../presets/seed-rabbit-topology.js';
import type { OutgoingMessage, Transport } from '../transport/transport.js';
import { assertPublishable, checkSubscription } from '../transport/transport-guards.js';
import { connectRabbit, type RabbitConnectionEvent, type RabbitLink } from './rabbit-connection.js';
import { type ActiveSubscription, createRabbitConsumers } from './rabbit-consumer.js';
import { createRabbitDeadLetters, sendToDeadLetters } from './rabbit-dead-letters.js';
import { declareGroup, declareTopology, type GroupDeclaration } from './rabbit-declare-topology.js';
import { createRabbitPublisher } from './rabbit-publisher.js';
import { queueName, type RabbitTopology } from './rabbit-topology.js';

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
  onConnectionEvent?: (event: RabbitConnectionEvent, error?: Error) => void;
}

/**
 * RabbitMQ transport (amqplib): publisher confirms, quorum queues with a delivery limit and a
 * dead-letter exchange, prefetch = concurrency, and reconnection with backoff that re-declares the
 * topology and resumes every subscription.
 */
export async function createRabbitTransport(options: RabbitTransportOptions = {}): Promise<Transport> {
  const topology = options.topology ?? SEED_RABBIT_TOPOLOGY;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const defaultMaxDeliver = options.defaultMaxDeliver ?? 5;
  const reconnectDelay = exponentialBackoff({
    initialMs: options.reconnect?.initialMs ?? 1000,
    maxMs: options.reconnect?.maxMs ?? 30_000,
    jitter: 0.3,
  });
  const subscriptions = new Set<ActiveSubscription>();
  const knownGroups = new Set(topology.queues.map((q) => q.group));
  const link: RabbitLink = { model: undefined, pub: undefined, closed: false };

  /** Seed queues, then the queue of every live subscription, read lazily as they are declared. */
  function* groups(): Iterable<GroupDeclaration> {
    for (const q of topology.queues) yield { ...q, maxDeliver: defaultMaxDeliver };
    for (const sub of subscriptions) {
      if (!sub.closing)
        yield { group: sub.opts.group, patterns: sub.patterns, maxDeliver: sub.opts.maxDeliver };
    }
  }

  const publisher = createRabbitPublisher({
    link,
    publishTimeoutMs: options.publishTimeoutMs ?? 5000,
    reconnectDelay,
    declareTopology: (m, ch) => declareTopology(topology, m, ch, groups()),
  });
  const { confirmPublish } = publisher;
  const consumers = createRabbitConsumers({
    topology,
    link,
    subscriptions,
    reconnectDelay,
    declareGroup: (m, ch, group) => declareGroup(topology, m, ch, group),
    deadLetter: (group, msg, attempts, error) =>
      sendToDeadLetters({ topology, confirmPublish }, group, msg, attempts, error),
  });

  const connection = await connectRabbit({
    url: options.url ?? 'amqp://guest:guest@127.0.0.1:5672',
    connectionName: options.connectionName ?? 'interlink-bus',
    reconnectDelay,
    link,
    onConnectionEvent: options.onConnectionEvent,
    // Runs after every (re)connect: the whole topology is declared again and consumers resume.
    async setup(m) {
      const ch = await publisher.open(m);
      for (const sub of subscriptions) if (!sub.closing) await consumers.start(m, sub);
      link.model = m;
      link.pub = ch;
    },
  });

  const deadLetters = createRabbitDeadLetters({
    topology,
    confirmPublish,
    knownGroups,
    model: () => link.model,
  });

  return {
    name: 'rabbitmq',
    maxBytes,
    deadLetters,
    async pending(group) {
      const m = link.model;
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
    // Not async (sync failures become rejections by hand): the confirm's promise is returned
    // as it is, one promise per publish.
    publish(message: OutgoingMessage) {
      try {
        assertPublishable(message, maxBytes, link.closed, 'RabbitMQ');
      } catch (error) {
        return Promise.reject(error);
      }
      const body = Buffer.isBuffer(message.body) ? message.body : Buffer.from(message.body);
      // Given apart (binary mode), the content type leaves the headers ready to send as they are;
      // in the headers, it is taken out of a copy.
      let contentType = message.contentType;
      let headers = message.headers ?? {};
      if (contentType === undefined) ({ 'content-type': contentType, ...headers } = headers);
      const properties: Options.Publish = {
        persistent: true,
        messageId: message.id,
        contentType: contentType ?? 'application/octet-stream',
        // The event type rides in the `type` property: a replay through the default exchange
        // changes the routing key.
        type: message.topic,
        mandatory: true,
      };
      // Headers stay empty when there are none: a header table costs quorum queues about a fifth
      // of their publish throughput.
      if (hasAny(headers)) properties.headers = headers;
      return confirmPublish(
        (ch, done) => ch.publish(topology.exchange, message.topic, body, properties, done),
        message.topic,
        message.id,
      );
    },
    async subscribe(patterns, handler, subscribeOptions) {
      const opts = checkSubscription(patterns, subscribeOptions, link.closed, 'RabbitMQ');
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
      const m = link.model;
      if (!m) throw new BusError('ERR_BUS_NOT_CONNECTED', 'RabbitMQ is not connected; cannot subscribe now');
      await consumers.start(m, sub);
      subscriptions.add(sub);
      knownGroups.add(opts.group);
      return { group: opts.group, close: () => consumers.close(sub) };
    },
    async close() {
      if (link.closed) return;
      link.closed = true;
      await Promise.all([...subscriptions].map((sub) => consumers.close(sub)));
      await link.pub?.waitForConfirms().catch(() => {});
      try {
        await connection.close();
      } finally {
        publisher.close(); // a publish whose confirm never came fails now, not at its timeout
      }
    },
  };
}

/** True when `headers` has a key (without listing them all). */
function hasAny(headers: Record<string, string>): boolean {
  for (const _ in headers) return true;
  return false;
}
