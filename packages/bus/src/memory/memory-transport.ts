import { randomUUID } from 'node:crypto';
import { isRetryable } from '@interlink/core';
import type { DeadLetter, DeadLetterStore, ListDeadLettersOptions } from '../dead-letters/dead-letter.js';
import { DEFAULT_MAX_EVENT_BYTES } from '../envelope/encode-event.js';
import { BusError } from '../errors/bus-error-codes.js';
import { failureReason } from '../transport/failure-reason.js';
import type { PositionedLog } from '../transport/positioned.js';
import { defaultRedeliveryBackoff } from '../transport/redelivery-backoff.js';
import { topicMatches } from '../transport/topic.js';
import type {
  Backoff,
  DeliveryHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
} from '../transport/transport.js';
import { assertOpen, assertPublishable, checkSubscription } from '../transport/transport-guards.js';
import { createMemoryLog } from './memory-log.js';

export interface MemoryBrokerOptions {
  maxBytes?: number;
  /** Publishes of an id already seen within this window are dropped, as NATS does; default 2 min. */
  duplicateWindowMs?: number;
  /** Messages kept for positioned subscriptions; older ones are gone. Default 10,000. */
  retainEvents?: number;
  now?: () => number;
}

interface Pending {
  message: OutgoingMessage;
  attempt: number;
}

interface Consumer {
  handler: DeliveryHandler;
  concurrency: number;
  inFlight: number;
  closed: boolean;
  idle: Array<() => void>;
}

interface Group {
  name: string;
  patterns: Set<string>;
  ready: Pending[];
  consumers: Consumer[];
  next: number;
  maxDeliver: number;
  backoff: Backoff;
}

/** The in-process "broker" several memory transports (like several connections) can share. */
export interface MemoryBroker {
  /** A new handle: closing it closes its own subscriptions only. */
  connect(): Transport;
}

export interface MemoryTransportOptions extends MemoryBrokerOptions {
  /** Share one broker between several transports; by default each transport has its own. */
  broker?: MemoryBroker;
}

/**
 * The embedded transport: the same promises as the brokers (ack after success, redelivery with
 * backoff, delivery limit, dead letters, orderly shutdown) inside one process, with nothing durable.
 * For `npm start` without services and for fast unit tests.
 */
export function createMemoryTransport(options: MemoryTransportOptions = {}): Transport {
  return (options.broker ?? createMemoryBroker(options)).connect();
}

/** Creates an in-process broker; `connect()` gives transports onto it. */
export function createMemoryBroker(options: MemoryBrokerOptions = {}): MemoryBroker {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const window = options.duplicateWindowMs ?? 120_000;
  const now = options.now ?? Date.now;
  const groups = new Map<string, Group>();
  // Event id -> when its deduplication ends and the position it was stored at.
  const seen = new Map<string, { expires: number; position: number }>();
  const log = createMemoryLog(options.retainEvents ?? 10_000);
  const dead = new Map<string, DeadLetter>();

  function schedule(fn: () => void, ms: number): void {
    // Unref'd: a pending redelivery must not keep a process alive that is otherwise done.
    setTimeout(fn, ms).unref();
  }

  function deadLetter(group: Group, pending: Pending, error: unknown): void {
    const { reason, code } = failureReason(error);
    const letter: DeadLetter = {
      id: randomUUID(),
      eventId: pending.message.id,
      topic: pending.message.topic,
      group: group.name,
      reason,
      attempts: pending.attempt,
      failedAt: new Date(now()).toISOString(),
      body: pending.message.body,
      headers: { ...pending.message.headers },
    };
    if (code) letter.code = code;
    dead.set(letter.id, letter);
  }

  function pump(group: Group): void {
    while (group.ready.length > 0) {
      const open = group.consumers.filter((c) => !c.closed && c.inFlight < c.concurrency);
      if (open.length === 0) return;
      const consumer = open[group.next++ % open.length]!;
      const pending = group.ready.shift()!;
      consumer.inFlight++;
      const delivery = {
        id: pending.message.id,
        topic: pending.message.topic,
        body: pending.message.body,
        headers: { ...pending.message.headers },
        attempt: pending.attempt,
      };
      // Run the handler outside this loop so one slow handler never blocks dispatch.
      void Promise.resolve()
        .then(() => consumer.handler(delivery))
        .then(
          () => undefined,
          (error: unknown) => {
            if (!isRetryable(error) || pending.attempt >= group.maxDeliver) {
              deadLetter(group, pending, error);
            } else {
              const retry = { message: pending.message, attempt: pending.attempt + 1 };
              schedule(() => {
                group.ready.push(retry);
                pump(group);
              }, group.backoff(pending.attempt));
            }
          },
        )
        .finally(() => {
          consumer.inFlight--;
          if (consumer.inFlight === 0) for (const resolve of consumer.idle.splice(0)) resolve();
          pump(group);
        });
    }
  }

  const deadLetters: DeadLetterStore = {
    async list(opts: ListDeadLettersOptions = {}) {
      return [...dead.values()]
        .filter((d) => !opts.group || d.group === opts.group)
        .slice(0, opts.limit ?? 100);
    },
    async get(id) {
      const letter = dead.get(id);
      if (!letter) throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `No dead letter ${id}`);
      return letter;
    },
    async replay(id) {
      const letter = await deadLetters.get(id);
      const group = groups.get(letter.group);
      if (!group)
        throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `Group ${letter.group} no longer exists`);
      dead.delete(id);
      group.ready.push({
        message: { id: letter.eventId, topic: letter.topic, body: letter.body, headers: letter.headers },
        attempt: 1,
      });
      pump(group);
    },
    async purge(id) {
      if (id === undefined) {
        const n = dead.size;
        dead.clear();
        return n;
      }
      return dead.delete(id) ? 1 : 0;
    },
  };

  return {
    connect: () => handle(),
  };

  function handle(): Transport {
    const subscriptions = new Set<Subscription>();
    const readers = new Set<{ close(): Promise<void> }>();
    let closed = false;

    /** Stores and routes a message; the position of its first copy for a duplicate. */
    function publishAt(outgoing: OutgoingMessage): number {
      assertPublishable(outgoing, maxBytes, closed, 'memory');
      // Delivered as NATS delivers it: a content type given apart goes among the headers.
      const message =
        outgoing.contentType === undefined
          ? outgoing
          : { ...outgoing, headers: { ...outgoing.headers, 'content-type': outgoing.contentType } };
      const t = now();
      for (const [id, entry] of seen) {
        if (entry.expires > t) break;
        seen.delete(id);
      }
      const duplicate = seen.get(message.id);
      if (duplicate) return duplicate.position;
      const position = log.append(message);
      seen.set(message.id, { expires: t + window, position });
      for (const group of groups.values()) {
        if ([...group.patterns].some((p) => topicMatches(p, message.topic))) {
          group.ready.push({ message, attempt: 1 });
          pump(group);
        }
      }
      return position;
    }

    const positioned: PositionedLog = {
      async info() {
        return log.info();
      },
      async publish(message) {
        return publishAt(message);
      },
      async subscribe(subscribeOptions = {}) {
        assertOpen(closed, 'memory');
        const reader = log.subscribe(subscribeOptions);
        readers.add(reader);
        return {
          startAfter: reader.startAfter,
          opened: reader.opened,
          [Symbol.asyncIterator]: () => reader[Symbol.asyncIterator](),
          async close() {
            readers.delete(reader);
            await reader.close();
          },
        };
      },
    };
    return {
      name: 'memory',
      maxBytes,
      deadLetters,
      async pending(group) {
        return groups.get(group)?.ready.length ?? 0;
      },
      async publish(message) {
        publishAt(message);
      },
      positioned,
      async subscribe(patterns, handler, subscribeOptions: SubscribeOptions) {
        const opts = checkSubscription(patterns, subscribeOptions, closed, 'memory');
        let group = groups.get(opts.group);
        if (!group) {
          group = {
            name: opts.group,
            patterns: new Set(),
            ready: [],
            consumers: [],
            next: 0,
            maxDeliver: opts.maxDeliver,
            backoff: opts.backoff ?? defaultRedeliveryBackoff(),
          };
          groups.set(opts.group, group);
        }
        for (const p of patterns) group.patterns.add(p);
        const consumer: Consumer = {
          handler,
          concurrency: opts.concurrency,
          inFlight: 0,
          closed: false,
          idle: [],
        };
        group.consumers.push(consumer);
        const g = group;
        const subscription: Subscription = {
          group: opts.group,
          async close() {
            consumer.closed = true;
            g.consumers = g.consumers.filter((c) => c !== consumer);
            subscriptions.delete(subscription);
            if (consumer.inFlight > 0) await new Promise<void>((resolve) => consumer.idle.push(resolve));
          },
        };
        subscriptions.add(subscription);
        pump(group);
        return subscription;
      },
      async close() {
        if (closed) return;
        closed = true;
        await Promise.all([...subscriptions, ...readers].map((s) => s.close()));
      },
    };
  }
}
