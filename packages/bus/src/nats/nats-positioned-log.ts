import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  assertHeld,
  assertSubscribeOptions,
  isWanted,
  type PositionedDelivery,
  type PositionedLog,
  type PositionedSubscribeOptions,
  type PositionedSubscription,
  type PositionInfo,
  positionedDelivery,
  positionedSubscription,
  resolveStart,
} from '../transport/positioned.js';
import type { OutgoingMessage } from '../transport/transport.js';
import { headersToRecord } from './nats-headers.js';
import { REPLAY_SCOPE } from './nats-subjects.js';
import { coveringFilter, EVENT_TYPE_HEADER, type SubjectScheme, subjectMatches } from './subject-scheme.js';

export interface NatsPositionedLogDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  prefix: string;
  scheme: SubjectScheme;
  publish(message: OutgoingMessage): Promise<number>;
}

/** Messages asked for per pull of a positioned subscription. */
const PULL_BATCH = 256;

/** NATS 2.10 gave consumers several filter subjects; before it, one. */
function supportsFilterList(nc: NatsConnection): boolean {
  const [major = 0, minor = 0] = (nc.info?.version ?? '0.0').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 10);
}

/**
 * The positioned side of the NATS transport: positions are JetStream stream sequences, and each
 * subscription is ONE ordered consumer (ephemeral, in memory on the server, no acks) over the
 * narrowest filter covering its scopes, deleted when the subscription closes.
 */
export function createNatsPositionedLog(
  deps: NatsPositionedLogDeps,
): PositionedLog & { close(): Promise<void> } {
  const { nc, js, jsm, stream, prefix, scheme } = deps;
  const open = new Set<PositionedSubscription<PositionedDelivery>>();

  async function info(): Promise<PositionInfo> {
    const { created, state } = await jsm.streams.info(stream);
    return {
      // The creation time names the stream's lifetime: every reader derives the same epoch, and a
      // recreated stream (whose sequence restarts) gets a new one.
      epoch: Date.parse(created).toString(36),
      first: state.messages === 0 ? state.last_seq + 1 : state.first_seq,
      last: state.last_seq,
    };
  }

  function filtersOf(options: PositionedSubscribeOptions): string[] {
    // A Set: two scopes may share a filter, and NATS refuses a consumer with the same one twice.
    if (options.scopes) return [...new Set(options.scopes.flatMap((s) => scheme.scopeFilter(prefix, s)))];
    if (options.patterns && scheme.topicInSubject) {
      return options.patterns.map((p) => scheme.patternFilter(prefix, p));
    }
    return [`${prefix}.>`];
  }

  async function subscribe(
    options: PositionedSubscribeOptions = {},
  ): Promise<PositionedSubscription<PositionedDelivery>> {
    assertSubscribeOptions(options);
    const { until } = options;
    let opened = await info();
    const startAfter = resolveStart(options.start, opened);
    const filters = filtersOf(options);
    const oneFilter = filters.length === 1 || !supportsFilterList(nc);
    // Exact filters the server could not apply are applied here, on the one consumer's messages.
    const exact = oneFilter && filters.length > 1 ? filters : undefined;
    const consumer = await js.consumers.get(stream, {
      filter_subjects: oneFilter ? coveringFilter(filters) : filters,
      opt_start_seq: startAfter + 1,
    });
    const remove = () => consumer.delete().catch(() => false);
    if (typeof options.start === 'object') {
      // Checked again now the consumer exists: events aged out between the first look and its
      // creation would otherwise be skipped without a word.
      opened = await info().catch(async (error: unknown) => {
        await remove();
        throw error;
      });
      try {
        assertHeld(startAfter, opened);
      } catch (error) {
        await remove();
        throw error;
      }
    }
    // A replay with nothing left to read ends at once. The consumer was created after `until` was
    // written, so its pending count includes every message up to it.
    const finished =
      until !== undefined && (until <= startAfter || (await consumer.info(true)).num_pending === 0);
    let messages: ConsumerMessages | undefined;
    let closed = false;

    function keep(msg: JsMsg): PositionedDelivery | undefined {
      if (exact && !exact.some((f) => subjectMatches(f, msg.subject))) return undefined;
      const parts = scheme.parse(prefix, msg.subject);
      // Dead letters replayed to one consumer group are not events of the log.
      if (parts.tenantId === REPLAY_SCOPE) return undefined;
      const topic = parts.topic ?? msg.headers?.get(EVENT_TYPE_HEADER, 'insensitive') ?? '';
      if (!isWanted(options, topic, parts.tenantId, parts.userId)) return undefined;
      return positionedDelivery(
        { position: msg.seq, topic, body: msg.data, headers: headersToRecord(msg.headers) },
        parts.tenantId,
        parts.userId,
      );
    }

    async function* read(): AsyncGenerator<PositionedDelivery> {
      try {
        if (finished || closed) return;
        messages = await consumer.consume({ max_messages: PULL_BATCH });
        if (closed) messages.stop();
        for await (const msg of messages) {
          if (until !== undefined && msg.seq > until) break;
          const delivery = keep(msg);
          if (delivery) yield delivery;
          // Consumption starts after `until` was written: nothing pending means nothing up to it.
          if (until !== undefined && (msg.seq >= until || msg.info.pending === 0)) break;
        }
      } finally {
        await subscription.close();
      }
    }

    const subscription: PositionedSubscription<PositionedDelivery> = positionedSubscription(
      startAfter,
      opened,
      read,
      async () => {
        if (closed) return;
        closed = true;
        open.delete(subscription);
        // stop(), not close(): close() waits for the iterator to drain, which never happens while
        // the reader is suspended between two events or this runs inside the read itself.
        messages?.stop();
        // An ordered consumer lingers on the server for its inactive threshold unless deleted.
        await remove();
      },
    );
    open.add(subscription);
    return subscription;
  }

  return {
    info,
    publish: deps.publish,
    subscribe,
    async close() {
      await Promise.all([...open].map((s) => s.close()));
    },
  };
}
