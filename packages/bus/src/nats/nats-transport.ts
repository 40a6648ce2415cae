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
  StorageType,
} from '@nats-io/jetstream';
import {
  connect,
  type MsgHdrs,
  type NatsConnection,
  nanos,
  headers as natsHeaders,
} from '@nats-io/transport-node';
import { DEAD_LETTER_HEADERS, type DeadLetter, type DeadLetterStore } from '../dead-letters/dead-letter.js';
import { DEFAULT_MAX_EVENT_BYTES } from '../envelope/encode-event.js';
import { BusError } from '../errors/bus-error-codes.js';
import { failureReason } from '../transport/failure-reason.js';
import { defaultRedeliveryBackoff } from '../transport/redelivery-backoff.js';
import { normalizeSubscribeOptions } from '../transport/subscribe-options.js';
import { assertPattern, assertTopic, assertWord } from '../transport/topic.js';
import type {
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  Subscription,
  Transport,
} from '../transport/transport.js';
import { eventSubject, patternSubject, topicOfSubject } from './nats-subjects.js';
import { createPublishAcks } from './publish-acks.js';

export interface NatsTransportOptions {
  /** Server URL(s); default `nats://127.0.0.1:4222`. Ignored when `connection` is given. */
  servers?: string | string[];
  /**
   * An existing connection; the transport then leaves closing it to the caller. Open it with
   * `noAsyncTraces: true` as the transport does for its own: the client's requests (consumer
   * pulls, management calls) then cost less CPU.
   */
  connection?: NatsConnection;
  /** The event stream; default `EVENTS` (seed 003). */
  stream?: string;
  /** First subject token; default `events` (seed 003's `events.{tenantId}...`). */
  subjectPrefix?: string;
  /** Default `<stream>_DLQ`. */
  deadLetterStream?: string;
  /** Default `<subjectPrefix>_dlq`. */
  deadLetterPrefix?: string;
  /** Largest event accepted; default 1 MiB, never above the server's `max_payload`. */
  maxBytes?: number;
  /** How long a delivery may stay unacknowledged before redelivery; kept alive while a handler runs. */
  ackWaitMs?: number;
  /** The stream's `Nats-Msg-Id` deduplication window; default 2 min. */
  duplicateWindowMs?: number;
  /** Where a new consumer group starts: `new` (default) or `all` retained events. */
  deliverPolicy?: 'new' | 'all';
  /** Stream storage; default `file`. */
  storage?: 'file' | 'memory';
  /** Lifetime of each pull request; bounds how long a consumer stalls after a reconnect. Default 5 s. */
  pullExpiresMs?: number;
  /** How long publish waits for the stream's acknowledgement; default 5 s. */
  publishTimeoutMs?: number;
}

const HEADER_SUBJECT = 'interlink-dead-subject';
const REPLAY = '_replay';

/**
 * A replayed dead letter goes back to its group only: it is published as
 * `<prefix>._replay.<group>.<type>`, which every group's filter (`<prefix>.*.*.<pattern>`) matches,
 * and the consumers of other groups acknowledge it without handling it. (NATS 2.9 consumers have
 * one filter subject, so a per-group replay subject cannot be added to the filter.) Tenant ids
 * starting with `_` are refused at publish, so no tenant can collide with `_replay`.
 */
function replaySubject(prefix: string, group: string, topic: string): string {
  return `${prefix}.${REPLAY}.${group}.${topic}`;
}

/** The group a replayed message is addressed to, or undefined for an ordinary message. */
function replayScope(subject: string): string | undefined {
  const [, tenant, user] = subject.split('.', 3);
  return tenant === REPLAY ? user : undefined;
}

/** Durable names cannot hold `.`, `*` or `>`: the group plus a short hash of the pattern. */
function durableName(group: string, pattern: string): string {
  return `${group}_${createHash('sha256').update(pattern).digest('hex').slice(0, 10)}`;
}

function headersToRecord(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [key, values] of h) out[key.toLowerCase()] = values[0] ?? '';
  return out;
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
  const acks = createPublishAcks(nc, timeout);
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

  async function deadLetter(msg: JsMsg, group: string, attempts: number, error: unknown): Promise<void> {
    const { reason, code } = failureReason(error);
    const original = headersToRecord(msg.headers);
    const eventId =
      original[DEAD_LETTER_HEADERS.eventId] ?? original['nats-msg-id'] ?? String(msg.info.streamSequence);
    const topic = topicOfSubject(msg.subject);
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
    const filter = patternSubject(prefix, pattern);
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
      const attempt = msg.info.deliveryCount;
      let headers: Record<string, string> | undefined;
      const delivery: Delivery = {
        id: msg.headers?.get('Nats-Msg-Id') || String(msg.info.streamSequence),
        topic: topicOfSubject(msg.subject),
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

  const deadLetters = createNatsDeadLetters({ jsm, dlqStream, dlqPrefix, prefix, republish: publishRaw });

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
      if (closed) throw new BusError('ERR_BUS_CLOSED', 'The NATS transport is closed');
      assertTopic(message.topic);
      if (message.tenantId !== undefined) {
        assertWord(message.tenantId, 'tenant id');
        if (message.tenantId.startsWith('_')) {
          throw new BusError(
            'ERR_BUS_INVALID_TOPIC',
            'Tenant ids starting with "_" are reserved on NATS subjects',
          );
        }
      }
      if (message.userId !== undefined) assertWord(message.userId, 'user id');
      if (message.body.byteLength > maxBytes) {
        throw new BusError(
          'ERR_BUS_MESSAGE_TOO_LARGE',
          `Message is ${message.body.byteLength} bytes; the limit is ${maxBytes}`,
        );
      }
      // Every body on the stream is structured-mode CloudEvents JSON, so `content-type` is not
      // sent: each extra header is bytes and parsing on every message for the server.
      const { 'content-type': _contentType, ...headers } = message.headers ?? {};
      await publishRaw(
        eventSubject(prefix, message.topic, message.tenantId, message.userId),
        message.body,
        message.id,
        headers,
      );
    },
    async subscribe(patterns, handler, subscribeOptions) {
      if (closed) throw new BusError('ERR_BUS_CLOSED', 'The NATS transport is closed');
      for (const p of patterns) assertPattern(p);
      const opts = normalizeSubscribeOptions(subscribeOptions);
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
      if (own) await nc.drain();
      acks.close();
    },
  };
}

async function ensureStream(
  jsm: JetStreamManager,
  cfg: { name: string; subjects: string[]; duplicateWindowMs: number; storage?: 'file' | 'memory' },
): Promise<void> {
  const existing = await jsm.streams.info(cfg.name).catch(() => null);
  if (existing) return;
  await jsm.streams
    .add({
      name: cfg.name,
      subjects: cfg.subjects,
      storage: cfg.storage === 'memory' ? StorageType.Memory : StorageType.File,
      duplicate_window: nanos(cfg.duplicateWindowMs),
    })
    .catch(async (error: unknown) => {
      if (!(await jsm.streams.info(cfg.name).catch(() => null))) throw error;
    });
}

interface NatsDeadLetterDeps {
  jsm: JetStreamManager;
  prefix: string;
  dlqStream: string;
  dlqPrefix: string;
  republish: (
    subject: string,
    body: Uint8Array,
    msgID: string,
    hdrs: Record<string, string>,
  ) => Promise<number>;
}

// Dead letters are few and read by people: a bounded scan by sequence is simple and enough.
const MAX_SCAN = 10_000;

function createNatsDeadLetters(deps: NatsDeadLetterDeps): DeadLetterStore {
  const { jsm, dlqStream, republish } = deps;

  function toDeadLetter(
    seq: number,
    subject: string,
    hdrs: Record<string, string>,
    data: Uint8Array,
  ): DeadLetter {
    const letter: DeadLetter = {
      id: String(seq),
      eventId: hdrs[DEAD_LETTER_HEADERS.eventId] ?? '',
      topic: hdrs[DEAD_LETTER_HEADERS.topic] ?? subject,
      group: hdrs[DEAD_LETTER_HEADERS.group] ?? '',
      reason: hdrs[DEAD_LETTER_HEADERS.reason] ?? '',
      attempts: Number(hdrs[DEAD_LETTER_HEADERS.attempts] ?? 0),
      failedAt: hdrs[DEAD_LETTER_HEADERS.failedAt] ?? '',
      body: data,
      headers: hdrs,
    };
    const code = hdrs[DEAD_LETTER_HEADERS.code];
    if (code) letter.code = code;
    return letter;
  }

  async function load(id: string): Promise<DeadLetter> {
    const seq = Number(id);
    const stored =
      Number.isSafeInteger(seq) && seq > 0
        ? await jsm.streams.getMessage(dlqStream, { seq }).catch(() => null)
        : null;
    if (!stored)
      throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `No dead letter ${String(id).slice(0, 50)}`);
    return toDeadLetter(stored.seq, stored.subject, headersToRecord(stored.header), stored.data);
  }

  return {
    async list(opts = {}) {
      const limit = opts.limit ?? 100;
      const info = await jsm.streams.info(dlqStream);
      const out: DeadLetter[] = [];
      const last = Math.min(info.state.last_seq, info.state.first_seq + MAX_SCAN);
      for (
        let seq = info.state.first_seq;
        seq <= last && out.length < limit && info.state.messages > 0;
        seq++
      ) {
        const stored = await jsm.streams.getMessage(dlqStream, { seq }).catch(() => null);
        if (!stored) continue;
        const letter = toDeadLetter(stored.seq, stored.subject, headersToRecord(stored.header), stored.data);
        if (!opts.group || letter.group === opts.group) out.push(letter);
      }
      return out;
    },
    get: load,
    async replay(id) {
      const letter = await load(id);
      if (!letter.group || !letter.topic) {
        throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `Dead letter ${id} has no group or topic`);
      }
      const subject = replaySubject(deps.prefix, letter.group, letter.topic);
      const hdrs = Object.fromEntries(
        Object.entries(letter.headers).filter(([k]) => !k.startsWith('interlink-dead-')),
      );
      // A fresh msg id: the original is still inside the duplicate window and would be dropped.
      await republish(subject, letter.body, `${letter.eventId}:replay:${letter.id}`, hdrs);
      await jsm.streams.deleteMessage(dlqStream, Number(letter.id));
    },
    async purge(id) {
      if (id !== undefined) {
        await load(id);
        return (await jsm.streams.deleteMessage(dlqStream, Number(id))) ? 1 : 0;
      }
      const response = await jsm.streams.purge(dlqStream);
      return response.purged;
    },
  };
}
