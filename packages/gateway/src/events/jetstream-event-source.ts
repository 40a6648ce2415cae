import { randomUUID } from 'node:crypto';
import {
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import { encodeFrame } from './encode-frame.js';
import { type EventPosition, formatEventId } from './event-id.js';
import { EventRing } from './event-ring.js';
import type { GatewayEventSource, PublishInput, ReplayResult, StreamEvent } from './event-source.js';
import { createSubjectHandlers } from './subject-handlers.js';

/** The NATS header carrying an event's SSE name. */
export const EVENT_TYPE_HEADER = 'Interlink-Event-Type';

export interface JetStreamEventSourceOptions {
  nc: NatsConnection;
  /** The JetStream stream holding the events; created when missing. */
  stream?: string;
  /** Subjects are `{prefix}.{tenant}` and `{prefix}.{tenant}.{user}`; `events` (seed 003) by default. */
  subjectPrefix?: string;
  /** Recent events kept in memory for fast resume; 10,000 by default. */
  memoryEvents?: number;
  /** Bytes of recent frames kept in memory; 16 MiB by default. */
  memoryBytes?: number;
  /** A resume needing more events than this from history gets `reset`; 10,000 by default. */
  maxReplayEvents?: number;
  /** Retention of a stream this source creates. */
  maxAgeMs?: number;
  maxMessages?: number;
  /**
   * `gateway` (default): subjects `{prefix}.{tenant}[.{user}]`, the data as the message body, the SSE
   * name in a header. `bus`: `@interlink/bus`'s NATS layout, subjects
   * `{prefix}.{tenant}.{user|_}.{type}` with CloudEvents bodies, so that services publishing through
   * the bus reach browsers directly (the stream is then the bus's, e.g. `EVENTS`).
   */
  layout?: 'gateway' | 'bus';
}

/** How events sit on NATS: subjects, bodies, and the gateway subject a message is routed to. */
interface Layout {
  /** The gateway subject (`{prefix}.{t}` or `{prefix}.{t}.{u}`) of a stored message. */
  route(messageSubject: string): string;
  /** The filter subject holding a gateway subject's history. */
  filter(gatewaySubject: string): string;
  decode(message: JsMsg): { type: string; data: string } | undefined;
  encode(input: PublishInput): { subject: string; body: string; msgID?: string };
}

const GATEWAY_LAYOUT: Layout = {
  route: (subject) => subject,
  filter: (subject) => subject,
  decode: (message) => ({
    type: message.headers?.get(EVENT_TYPE_HEADER) || 'message',
    data: message.string(),
  }),
  encode: (input) => ({ subject: input.subject, body: input.data }),
};

// @interlink/bus writes `{prefix}.{tenant}.{user}.{type}`, with `_` for "no user".
const NO_USER = '_';

const BUS_LAYOUT: Layout = {
  route(subject) {
    const [prefix, tenant, user] = subject.split('.', 3);
    return user === NO_USER ? `${prefix}.${tenant}` : `${prefix}.${tenant}.${user}`;
  },
  filter(subject) {
    return subject.split('.').length === 2 ? `${subject}.${NO_USER}.>` : `${subject}.>`;
  },
  decode(message) {
    try {
      const envelope = JSON.parse(message.string()) as { type?: unknown; data?: unknown };
      if (typeof envelope.type !== 'string') return undefined;
      return { type: envelope.type, data: JSON.stringify(envelope.data ?? null) };
    } catch {
      return undefined;
    }
  },
  encode(input) {
    const [, tenant, user] = input.subject.split('.');
    const id = randomUUID();
    // The bus's envelope (CloudEvents 1.0 with Interlink's extensions), so bus consumers can read it.
    const envelope = {
      specversion: '1.0',
      id,
      source: '/interlink-gateway',
      type: input.type,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      dataschema: `urn:interlink:event:${input.type}:1`,
      dataversion: 1,
      tenantid: tenant,
      ...(user ? { userid: user } : {}),
      data: JSON.parse(input.data) as unknown,
    };
    const scope = user ? input.subject : `${input.subject}.${NO_USER}`;
    return { subject: `${scope}.${input.type}`, body: JSON.stringify(envelope), msgID: id };
  },
};

function toEvent(epoch: string, layout: Layout, message: JsMsg): StreamEvent | undefined {
  const decoded = layout.decode(message);
  if (!decoded) return undefined;
  const position = { epoch, sequence: message.seq };
  const id = formatEventId(position);
  const { type, data } = decoded;
  return {
    id,
    position,
    subject: layout.route(message.subject),
    type,
    data,
    frame: encodeFrame({ id, event: type, data }),
  };
}

/**
 * Events on NATS JetStream, shared by every gateway instance. Ids are `<epoch>:<stream sequence>`,
 * where the epoch comes from the stream's creation time, so every instance gives an event the same
 * id and a recreated stream is detected.
 *
 * Live delivery is one ordered consumer per instance over `{prefix}.>`, dispatched locally to the
 * subjects that have connections. Per-subject NATS subscriptions (seed 003) cannot order a user's
 * events against their tenant's, and a client resumes both from one `Last-Event-ID`; one consumer in
 * stream order can. Resume reads the memory ring when it reaches back far enough, else the stream.
 */
export async function createJetStreamEventSource(
  options: JetStreamEventSourceOptions,
): Promise<GatewayEventSource> {
  const { nc } = options;
  const streamName = options.stream ?? 'GATEWAY_EVENTS';
  const prefix = options.subjectPrefix ?? 'events';
  const maxReplayEvents = options.maxReplayEvents ?? 10_000;
  const layout = options.layout === 'bus' ? BUS_LAYOUT : GATEWAY_LAYOUT;
  const jsm: JetStreamManager = await jetstreamManager(nc);
  const js: JetStreamClient = jetstream(nc);

  let info = await jsm.streams.info(streamName).catch(() => undefined);
  if (!info) {
    info = await jsm.streams.add({
      name: streamName,
      subjects: [`${prefix}.>`],
      ...(options.maxAgeMs ? { max_age: options.maxAgeMs * 1_000_000 } : {}),
      ...(options.maxMessages ? { max_msgs: options.maxMessages } : {}),
    });
  }
  const epoch = Date.parse(info.created).toString(36);
  const startAfter = info.state.last_seq;
  const ring = new EventRing(options.memoryEvents ?? 10_000, startAfter, options.memoryBytes);
  const handlers = createSubjectHandlers();
  let delivered = startAfter;

  const live = await js.consumers.get(streamName, {
    filter_subjects: `${prefix}.>`,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: startAfter + 1,
  });
  const messages: ConsumerMessages = await live.consume();
  let closing = false;
  let liveFailure: Error | undefined;
  const pump = (async () => {
    for await (const message of messages) {
      const event = toEvent(epoch, layout, message);
      delivered = message.seq;
      if (!event) continue; // a message this layout cannot read is skipped, never fatal
      ring.push(event);
      handlers.dispatch(event);
    }
  })().then(
    () => {
      // The ordered consumer only ends when told to; ending otherwise means live delivery stopped.
      if (!closing) liveFailure = new Error('the live JetStream consumer stopped');
    },
    (error: unknown) => {
      liveFailure = error instanceof Error ? error : new Error(String(error));
    },
  );

  async function readSubject(
    route: string,
    after: number,
    until: number,
  ): Promise<StreamEvent[] | 'too-many'> {
    const subject = layout.filter(route);
    let last: number;
    try {
      const stored = await jsm.streams.getMessage(streamName, { last_by_subj: subject });
      if (!stored) return [];
      last = Math.min(stored.seq, until);
    } catch {
      return []; // no message on this subject at all
    }
    if (last <= after) return [];
    const consumer = await js.consumers.get(streamName, {
      filter_subjects: subject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: after + 1,
    });
    const out: StreamEvent[] = [];
    let seen = after;
    try {
      while (true) {
        const batch = await consumer.fetch({ max_messages: 500, expires: 2_000 });
        let got = 0;
        for await (const message of batch) {
          got++;
          seen = message.seq;
          if (message.seq > last) break;
          const event = toEvent(epoch, layout, message);
          if (event) out.push(event);
          if (out.length > maxReplayEvents) return 'too-many';
          if (message.seq >= last) break;
        }
        if (got === 0 || seen >= last) break;
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return out;
  }

  return {
    subscribe: handlers.subscribe,
    head() {
      return { epoch, sequence: delivered };
    },
    async replay(subjects, after: EventPosition): Promise<ReplayResult> {
      if (after.epoch !== epoch) return { kind: 'reset', reason: 'epoch' };
      if (after.sequence > delivered) {
        // Ahead of this instance: either its consumer lags the one the client left (the client
        // has those events, and newer ones arrive live) or the id is from nowhere.
        const lastSeq = (await jsm.streams.info(streamName)).state.last_seq;
        if (after.sequence > lastSeq) return { kind: 'reset', reason: 'future' };
        return { kind: 'events', events: [], source: 'memory' };
      }
      if (after.sequence >= ring.completeAfter) {
        // Everything after `completeAfter` that reached this instance is in the ring, and anything
        // newer reaches the connection live: memory alone is complete.
        return { kind: 'events', events: ring.after(after.sequence, new Set(subjects)), source: 'memory' };
      }
      const state = (await jsm.streams.info(streamName)).state;
      if (after.sequence > state.last_seq) return { kind: 'reset', reason: 'future' };
      if (after.sequence + 1 < state.first_seq) return { kind: 'reset', reason: 'expired' };
      const events: StreamEvent[] = [];
      for (const subject of subjects) {
        const found = await readSubject(subject, after.sequence, state.last_seq);
        if (found === 'too-many') return { kind: 'reset', reason: 'too-many' };
        events.push(...found);
      }
      if (events.length > maxReplayEvents) return { kind: 'reset', reason: 'too-many' };
      events.sort((a, b) => a.position.sequence - b.position.sequence);
      return { kind: 'events', events, source: 'history' };
    },
    async publish(input: PublishInput) {
      const encoded = layout.encode(input);
      const h = natsHeaders();
      h.set(EVENT_TYPE_HEADER, input.type);
      const ack = await js.publish(encoded.subject, encoded.body, {
        headers: h,
        ...(encoded.msgID ? { msgID: encoded.msgID } : {}),
      });
      const position = { epoch, sequence: ack.seq };
      const id = formatEventId(position);
      return {
        id,
        position,
        subject: input.subject,
        type: input.type,
        data: input.data,
        frame: encodeFrame({ id, event: input.type, data: input.data }),
      };
    },
    async check() {
      if (liveFailure) throw liveFailure;
      await jsm.streams.info(streamName);
    },
    async close() {
      closing = true;
      handlers.clear();
      await messages.close().catch(() => undefined);
      await pump;
    },
  };
}
