import { deleteNatsStreams, natsUrl as servers, uniqueId, waitFor } from '@interlink/testing';
import { describePositionedConformance } from '@interlink/testing/bus';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bus, createBus } from '../bus/create-bus.js';
import { createSchemaRegistry } from '../envelope/schema-registry.js';
import type { Transport } from '../transport/transport.js';
import { createNatsTransport, type NatsTransportOptions } from './nats-transport.js';
import { SEED_003_SUBJECT_SCHEME } from './subject-scheme.js';

const id = uniqueId();
const streams: string[] = [];
let count = 0;

/** A transport on a stream of its own (and its dead-letter stream), deleted in afterAll. */
function isolated(extra: Partial<NatsTransportOptions> = {}): Promise<Transport> {
  const n = ++count;
  const stream = `POS_${id}_${n}`;
  streams.push(stream, `${stream}_DLQ`);
  return createNatsTransport({
    servers,
    stream,
    subjectPrefix: `pos_${id}_${n}`,
    deadLetterPrefix: `pos_${id}_${n}_dlq`,
    storage: 'memory',
    ...extra,
  });
}

const deleteStreams = () => deleteNatsStreams(streams);

describePositionedConformance('nats', {
  create: (options = {}) =>
    isolated(options.retainEvents === undefined ? {} : { retention: { maxMessages: options.retainEvents } }),
  cleanup: deleteStreams,
});

describe('nats positioned subscriptions', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const Note = Type.Object({ n: Type.Integer() });

  function busOn(transport: Transport): Bus {
    const registry = createSchemaRegistry();
    registry.register({ type: 'note.added', version: 1, schema: Note });
    return createBus({ transport, registry, source: '/test' });
  }

  /** The stream a transport of this file writes to (the last one `isolated` made). */
  const lastStream = () => streams.at(-2)!;

  beforeAll(async () => {
    nc = await connect({ servers });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc.close();
    await deleteStreams();
  });

  it('reports positions that are the JetStream stream sequences of the stored messages', async () => {
    const bus = busOn(await isolated());
    try {
      const a = await bus.positioned.publish({ type: 'note.added', tenantId: 't1', data: { n: 1 } });
      const b = await bus.positioned.publish({
        type: 'note.added',
        tenantId: 't1',
        userId: 'u1',
        data: { n: 2 },
      });
      for (const { position, event } of [a, b]) {
        const stored = await jsm.streams.getMessage(lastStream(), { seq: position });
        expect(JSON.parse(stored!.string()).id).toBe(event.id);
      }
      const state = (await jsm.streams.info(lastStream())).state;
      expect(await bus.positioned.info()).toMatchObject({ first: state.first_seq, last: state.last_seq });
    } finally {
      await bus.close();
    }
  });

  it('says a start is gone once the stream was purged past it', async () => {
    const bus = busOn(await isolated());
    try {
      const positions: number[] = [];
      for (let n = 1; n <= 4; n++) {
        positions.push(
          (await bus.positioned.publish({ type: 'note.added', tenantId: 't1', data: { n } })).position,
        );
      }
      await jsm.streams.purge(lastStream(), { keep: 1 });
      await expect(bus.positioned.subscribe({ start: { after: positions[0]! } })).rejects.toMatchObject({
        code: 'ERR_BUS_POSITION_GONE',
        extensions: { requested: positions[0], first: positions[3] },
      });
      // The refused subscription left no consumer behind.
      expect((await jsm.streams.info(lastStream())).state.consumer_count).toBe(0);
    } finally {
      await bus.close();
    }
  });

  it('reads many tenants and users through one consumer on the server, deleted on close', async () => {
    const bus = busOn(await isolated());
    try {
      const live = await bus.positioned.subscribe<{ n: number }>();
      const replay = await bus.positioned.subscribe<{ n: number }>({
        start: 'all',
        scopes: [{ tenantId: 't1' }, { tenantId: 't1', userId: 'u1' }, { tenantId: 't1', userId: 'u2' }],
      });
      const consumers = async () => (await jsm.streams.info(lastStream())).state.consumer_count;
      expect(await consumers()).toBe(2);
      const seen: number[] = [];
      const reading = (async () => {
        for await (const { event } of live) seen.push(event.data.n);
      })();
      const scopes = [{ tenantId: 't1' }, { tenantId: 't1', userId: 'u1' }, { tenantId: 't2', userId: 'u3' }];
      for (let n = 1; n <= 6; n++) {
        await bus.positioned.publish({ type: 'note.added', ...scopes[n % 3], data: { n } });
      }
      await waitFor(() => seen.length === 6, 'six live events');
      expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
      // Three scopes on six messages, two subscriptions: still one consumer each.
      expect(await consumers()).toBe(2);
      await live.close();
      await reading;
      expect(await consumers()).toBe(1);
      await replay.close();
      expect(await consumers()).toBe(0);
    } finally {
      await bus.close();
    }
  });

  it('deletes the consumers of subscriptions still open when the transport closes', async () => {
    const transport = await isolated();
    const bus = busOn(transport);
    await bus.positioned.subscribe();
    await bus.positioned.subscribe({ scopes: [{ tenantId: 't1' }] });
    expect((await jsm.streams.info(lastStream())).state.consumer_count).toBe(2);
    await bus.close();
    expect((await jsm.streams.info(lastStream())).state.consumer_count).toBe(0);
  });
});

describe('seed 003 subject scheme', () => {
  it('stores events on events.{tenant}.{user} and events.{tenant}, readable by groups and by position', async () => {
    const transport = await isolated({ subjects: SEED_003_SUBJECT_SCHEME });
    const stream = streams.at(-2)!;
    const prefix = `pos_${id}_${count}`;
    const registry = createSchemaRegistry();
    registry.register({ type: 'note.added', version: 1, schema: Type.Object({ n: Type.Integer() }) });
    registry.register({ type: 'note.removed', version: 1, schema: Type.Object({ n: Type.Integer() }) });
    const bus = createBus({ transport, registry, source: '/test' });
    const nc = await connect({ servers });
    try {
      const grouped: string[] = [];
      await bus.subscribe('note.added', async (e) => void grouped.push(`${e.type} ${e.tenantid}`), {
        group: 'added',
      });
      const a = await bus.positioned.publish({
        type: 'note.added',
        tenantId: 't1',
        userId: 'u1',
        data: { n: 1 },
      });
      const b = await bus.positioned.publish({ type: 'note.removed', tenantId: 't1', data: { n: 2 } });
      const c = await bus.positioned.publish({
        type: 'note.added',
        tenantId: 't1',
        userId: 'u2',
        data: { n: 3 },
      });
      const jsm = await jetstreamManager(nc);
      const subjects = await Promise.all(
        [a, b, c].map(async (e) => (await jsm.streams.getMessage(stream, { seq: e.position }))!.subject),
      );
      expect(subjects).toEqual([`${prefix}.t1.u1`, `${prefix}.t1`, `${prefix}.t1.u2`]);
      // The group asked for note.added only: the type travels in a header and is matched here.
      await waitFor(() => grouped.length === 2, 'the two note.added events');
      expect(grouped).toEqual(['note.added t1', 'note.added t1']);
      const read: string[] = [];
      const replay = await bus.positioned.subscribe({
        start: 'all',
        until: c.position,
        scopes: [{ tenantId: 't1' }, { tenantId: 't1', userId: 'u1' }],
      });
      for await (const { event } of replay) read.push(`${event.type} ${event.userid ?? '-'}`);
      expect(read).toEqual(['note.added u1', 'note.removed -']);
    } finally {
      await bus.close();
      await nc.close();
    }
  });
});
