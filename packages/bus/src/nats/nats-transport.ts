import { createHash } from 'node:crypto';
import { isRetryable } from '@interlink/core';
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, nanos, headers as natsHeaders } from '@nats-io/transport-node';
import { DEAD_LETTER_HEADERS } from '../dead-letters/dead-letter.js';
import { DEFAULT_MAX_EVENT_BYTES } from '../envelope/encode-event.js';
import { BusError } from '../errors/bus-error-codes.js';
import { failureReason } from '../transport/failure-reason.js';
import { defaultRedeliveryBackoff } from '../transport/redelivery-backoff.js';
import type { normalizeSubscribeOptions } from '../transport/subscribe-options.js';
import { assertWord, isTenantId, isUserId, topicMatches } from '../transport/topic.js';
import type {
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  Subscription,
  Transport,
} from '../transport/transport.js';
import { assertPublishable, checkSubscription } from '../transport/transport-guards.js';
import { ensureStream } from './ensure-stream.js';
import { createNatsDeadLetters } from './nats-dead-letters.js';
import { headersToRecord } from './nats-headers.js';
import { createNatsPositionedLog } from './nats-positioned-log.js';
import { replayScope, replaySubject } from './nats-subjects.js';
import type { NatsTransportOptions } from './nats-transport-options.js';
import { createPublishAcks } from './publish-acks.js';
import { BUS_SUBJECT_SCHEME, EVENT_TYPE_HEADER } from './subject-scheme.js';

export type { NatsTransportOptions } from './nats-transport-options.js';

const HEADER_SUBJECT = 'interlink-dead-subject';
const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json';

/** Durable names cannot hold `.`, `*` or `>`: the group plus a short hash of the pattern. */
function durableName(group: string, pattern: string): string {
  return `${group}_${createHash('sha256').update(pattern).digest('hex').slice(0, 10)}`;
}

/**
 * NATS JetStream transport: publish waits for the stream's ack with `Nats-Msg-Id` = event id (so a
 * retried publish is dropped as a duplicate), durable pull consumers with explicit ack, `nak` with
 * the backoff delay, and dead letters republished to a dead-letter stream before `term`.
 */
export async function createNatsTransport(options: NatsTransportOptions = {}): Promise<Transport> {
  const own = !options.connection;
  const nc =
    options.connection ??
    (await connect({
      servers: options.servers ?? 'nats://127.0.0.1:4222',
      maxReconnectAttempts: -1,
      // Without it the client builds two Errors with stack traces per request in case it fails
      // (publishes no longer go through its request path: see publish-acks.ts).
      noAsyncTraces: true,
    }));
  const stream = options.stream ?? 'EVENTS';
  const prefix = options.subjectPrefix ?? 'events';
  const scheme = options.subjects ?? BUS_SUBJECT_SCHEME;
  // Subjects are split by position (prefix, tenant, user, type), so the prefix is one word.
  assertWord(prefix, 'subject prefix');
  const dlqStream = options.deadLetterStream ?? `${stream}_DLQ`;
  const dlqPrefix = options.deadLetterPrefix ?? `${prefix}_dlq`;
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const pullExpiresMs = options.pullExpiresMs ?? 5000;
  // Headers and subject travel in the same payload limit; keep room for them.
  const maxBytes = Math.min(
    options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES,
    nc.info ? nc.info.max_payload - 4096 : Infinity,
  );
  const timeout = options.publishTimeoutMs ?? 5000;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  try {
    jsm = await jetstreamManager(nc);
    js = jetstream(nc, { timeout });
    await ensureStream(jsm, {
      name: stream,
      subjects: [`${prefix}.>`],
      duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
      storage: options.storage,
      ...options.retention,
    });
    await ensureStream(jsm, {
      name: dlqStream,
      subjects: [`${dlqPrefix}.>`],
      duplicateWindowMs: 120_000,
      storage: options.storage,
    });
  } catch (error) {
    if (own) await nc.close();
    throw error;
  }
  const subscriptions = new Set<Subscription>();
  const acks = createPublishAcks(nc, timeout, options.inboxPrefix);
  let closed = false;

  async function publishRaw(
    subject: string,
    body: Uint8Array,
    msgID: string,
    hdrs: Record<string, string>,
  ): Promise<number> {
    const h = natsHeaders();
    h.set('Nats-Msg-Id', msgID);
    for (const k in hdrs) h.set(k, hdrs[k]!);
    try {
      const ack = await acks.publish(subject, body, h);
      return ack.seq;
    } catch (cause) {
      throw new BusError('ERR_BUS_PUBLISH_FAILED', `JetStream did not acknowledge ${subject}`, { cause });
    }
  }

  /** The event type of a stored message: from its subject, or its header under seed 003's scheme. */
  function topicOf(msg: JsMsg): string {
    return scheme.topic(msg.subject) ?? msg.headers?.get(EVENT_TYPE_HEADER, 'insensitive') ?? '';
  }

  async function deadLetter(msg: JsMsg, group: string, attempts: number, error: unknown): Promise<void> {
    const { reason, code } = failureReason(error);
    const original = headersToRecord(msg.headers);
    const eventId =
      original[DEAD_LETTER_HEADERS.eventId] ?? original['nats-msg-id'] ?? String(msg.info.streamSequence);
    const topic = topicOf(msg);
    const hdrs: Record<string, string> = {
      ...Object.fromEntries(Object.entries(original).filter(([k]) => k !== 'nats-msg-id')),
      [DEAD_LETTER_HEADERS.reason]: reason.replace(/[\r\n]+/g, ' '),
      [DEAD_LETTER_HEADERS.attempts]: String(attempts),
      [DEAD_LETTER_HEADERS.group]: group,
      [DEAD_LETTER_HEADERS.topic]: topic,
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
      [DEAD_LETTER_HEADERS.eventId]: eventId,
      [HEADER_SUBJECT]: msg.subject,
    };
    if (code) hdrs[DEAD_LETTER_HEADERS.code] = code;
    // The msg id makes a dead-lettering retried after a crash land once.
    await publishRaw(
      `${dlqPrefix}.${group}.${topic}`,
      msg.data,
      `${group}:${eventId}:${msg.info.streamSequence}`,
      hdrs,
    );
    msg.term(reason.slice(0, 200));
  }

  async function subscribePattern(
    pattern: string,
    handler: DeliveryHandler,
    opts: ReturnType<typeof normalizeSubscribeOptions>,
  ): Promise<{ messages: ConsumerMessages; done: Promise<void>; stop: () => void }> {
    const durable = durableName(opts.group, pattern);
    const filter = scheme.patternFilter(prefix, pattern);
    const existing = await jsm.consumers.info(stream, durable).catch(() => null);
    if (!existing) {
      await jsm.consumers
        .add(stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          filter_subject: filter,
          deliver_policy: options.deliverPolicy === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
          // One more than the limit: a consumer that dies during the last attempt leaves the message
          // unacknowledged, and the extra delivery is what dead-letters it.
          max_deliver: opts.maxDeliver + 1,
          ack_wait: nanos(ackWaitMs),
          max_ack_pending: Math.max(1000, opts.concurrency * 4),
        })
        .catch(async (error: unknown) => {
          // Another replica created it between our info and add: fine if it is there now.
          if (!(await jsm.consumers.info(stream, durable).catch(() => null))) throw error;
        });
    }
    const consumer = await js.consumers.get(stream, durable);
    // Short pulls: after a reconnect the client notices a lost pull request within `expires`, not
    // after the 30 s default.
    const messages = await consumer.consume({ max_messages: opts.concurrency, expires: pullExpiresMs });
    const backoff = opts.backoff ?? defaultRedeliveryBackoff();
    let stopping = false;
    let inFlight = 0;
    let wake: (() => void) | undefined;
    const running = new Set<Promise<void>>();
    // One timer per subscription, not one per message: every quarter ack-wait, each handler that has
    // run for at least that long tells the server it is still working on its message, so no
    // message goes longer than half its ack-wait without a sign of life.
    const working = new Map<JsMsg, number>();
    const tickMs = Math.max(250, ackWaitMs / 4);
    const keepAlive = setInterval(() => {
      const before = Date.now() - tickMs;
      for (const [msg, since] of working) if (since <= before) msg.working();
    }, tickMs);
    keepAlive.unref();

    async function handle(msg: JsMsg): Promise<void> {
      const scope = replayScope(msg.subject);
      // A replay addressed to another group: not ours to handle (see replaySubject).
      if (scope !== undefined && scope !== opts.group) {
        msg.ack();
        return;
      }
      const topic = topicOf(msg);
      // A scheme without the type in the subject filters groups here instead of on the server.
      if (!scheme.topicInSubject && !topicMatches(pattern, topic)) {
        msg.ack();
        return;
      }
      const attempt = msg.info.deliveryCount;
      let headers: Record<string, string> | undefined;
      const delivery: Delivery = {
        id: msg.headers?.get('Nats-Msg-Id') || String(msg.info.streamSequence),
        topic,
        body: msg.data,
        // Built when a handler asks: most never do, and it is a copy of every header per message.
        get headers() {
          headers ??= headersToRecord(msg.headers);
          return headers;
        },
        attempt,
      };
      if (attempt > opts.maxDeliver) {
        await deadLetter(
          msg,
          opts.group,
          opts.maxDeliver,
          new Error('Delivery limit reached: the consumer stopped before acknowledging'),
        );
        return;
      }
      // Long handlers keep the delivery theirs (see keepAlive) instead of having it redelivered.
      working.set(msg, Date.now());
      try {
        await handler(delivery);
      } catch (error) {
        working.delete(msg);
        if (!isRetryable(error) || attempt >= opts.maxDeliver)
          await deadLetter(msg, opts.group, attempt, error);
        else msg.nak(backoff(attempt));
        return;
      } finally {
        working.delete(msg);
      }
      // A plain ack: waiting for the server to confirm it (ackAck) costs a round trip per message
      // and holds a handler slot, while a lost ack only means a redelivery, which at-least-once
      // consumers handle anyway. close() flushes, so acks of finished handlers reach the server.
      ackSoon(msg);
    }

    // The client writes to the socket once per microtask burst, and handlers finish in separate
    // bursts: acked one by one, every ack was a socket write of its own (a quarter of the consumer's
    // CPU in bench/bus-nats-e2e.mjs). Acks of the handlers that finish in one turn of the event loop
    // are sent together at its end instead: one write, no extra round trip.
    const acks: JsMsg[] = [];
    function flushAcks(): void {
      for (const m of acks.splice(0)) m.ack();
    }
    function ackSoon(msg: JsMsg): void {
      if (acks.push(msg) === 1) setImmediate(flushAcks);
    }

    const done = (async () => {
      for await (const msg of messages) {
        if (stopping) {
          // Pulled but never started: hand it back at once rather than after ack_wait.
          msg.nak();
          continue;
        }
        while (inFlight >= opts.concurrency) await new Promise<void>((resolve) => (wake = resolve));
        inFlight++;
        const p = handle(msg)
          .catch(() => msg.nak())
          .finally(() => {
            inFlight--;
            running.delete(p);
            wake?.();
            wake = undefined;
          });
        running.add(p);
      }
      await Promise.allSettled([...running]);
      flushAcks();
      clearInterval(keepAlive);
    })();
    return {
      messages,
      done,
      stop: () => {
        stopping = true;
        messages.stop();
        wake?.();
      },
    };
  }

  const deadLetters = createNatsDeadLetters({
    jsm,
    dlqStream,
    dlqPrefix,
    // The type header travels with the letter's headers where the subject has no type.
    replaySubject: (group, topic) => replaySubject(prefix, group, scheme.topicInSubject ? topic : undefined),
    republish: publishRaw,
  });

  /** Checks and publishes a message; resolves with its stream sequence. */
  async function publishMessage(message: OutgoingMessage): Promise<number> {
    assertPublishable(message, maxBytes, closed, 'NATS');
    if (message.tenantId !== undefined) {
      assertWord(message.tenantId, 'tenant id');
      if (!isTenantId(message.tenantId)) {
        throw new BusError(
          'ERR_BUS_INVALID_TOPIC',
          'Tenant ids starting with "_" are reserved on NATS subjects',
        );
      }
    }
    if (message.userId !== undefined) {
      assertWord(message.userId, 'user id');
      if (!isUserId(message.userId)) {
        throw new BusError('ERR_BUS_INVALID_TOPIC', 'The user id "_" means "no user" on NATS subjects');
      }
    }
    // A structured-mode body says what it is, so that `content-type` is not sent: each extra
    // header is bytes and parsing on every message for the server. Binary mode's (the data's
    // type, as the CloudEvents NATS binding maps `datacontenttype`) is.
    const { 'content-type': contentType = message.contentType, ...headers } = message.headers ?? {};
    if (contentType !== undefined && contentType !== STRUCTURED_CONTENT_TYPE)
      headers['content-type'] = contentType;
    if (!scheme.topicInSubject) headers[EVENT_TYPE_HEADER] = message.topic;
    return publishRaw(
      scheme.subject(prefix, message.topic, message.tenantId, message.userId),
      message.body,
      message.id,
      headers,
    );
  }

  const positioned = createNatsPositionedLog({
    nc,
    js,
    jsm,
    stream,
    prefix,
    scheme,
    publish: publishMessage,
  });

  return {
    name: 'nats',
    maxBytes,
    deadLetters,
    async pending(group) {
      // Every durable of the group (one per pattern), including ones other processes created.
      let total = 0;
      for await (const info of jsm.consumers.list(stream)) {
        const name = info.config.durable_name ?? info.name;
        if (name.startsWith(`${group}_`) && /^[0-9a-f]{10}$/.test(name.slice(group.length + 1)))
          total += info.num_pending;
      }
      return total;
    },
    async publish(message: OutgoingMessage) {
      await publishMessage(message);
    },
    positioned,
    async subscribe(patterns, handler, subscribeOptions) {
      const opts = checkSubscription(patterns, subscribeOptions, closed, 'NATS');
      const parts = await Promise.all(patterns.map((p) => subscribePattern(p, handler, opts)));
      const subscription: Subscription = {
        group: opts.group,
        async close() {
          subscriptions.delete(subscription);
          for (const part of parts) part.stop();
          await Promise.all(parts.map((part) => part.done));
          await nc.flush().catch(() => {});
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.close()));
      await positioned.close();
      if (own) await nc.drain();
      acks.close();
    },
  };
}
