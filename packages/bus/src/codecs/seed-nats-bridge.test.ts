import { deleteNatsStreams, isolatedNatsNames, natsUrl, waitFor } from '@interlink/testing';
import { jetstream } from '@nats-io/jetstream';
import { connect, type Msg, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus } from '../bus/create-bus.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import { createNatsTransport } from '../nats/nats-transport.js';
import { SEED_003_ENTITY_SUBJECT_SCHEME } from '../nats/subject-scheme.js';
import type { Transport } from '../transport/transport.js';
import { binaryCodec } from './binary-codec.js';
import { SEED_003_NATS_FORMAT } from './seed-003-codec.js';
import { bridgeRegistry, meteredBus } from './seed-events.test.helper.js';

// Seed 003's EVENTS stream and `events.{tenantId}.{eventType}` subjects, under names of this file's own.
const names = isolatedNatsNames('bridge');
const prefix = names.subjectPrefix;
const registry = bridgeRegistry();
let transport: Transport;
let nc: NatsConnection;

beforeAll(async () => {
  transport = await createNatsTransport({
    servers: natsUrl,
    ...names,
    subjects: SEED_003_ENTITY_SUBJECT_SCHEME,
    storage: 'memory',
  });
  nc = await connect({ servers: natsUrl });
});

afterAll(async () => {
  await transport?.close();
  await nc?.close();
  await deleteNatsStreams([names.stream, names.deadLetterStream]);
});

/** Seed 003's nats.service: a plain subscription on the tenant's subjects, JSON.parse of the payload. */
function seedSubscriber(subject: string): { messages: Msg[]; stop: () => void } {
  const messages: Msg[] = [];
  const sub = nc.subscribe(subject, { callback: (_err, msg) => void messages.push(msg) });
  return { messages, stop: () => sub.unsubscribe() };
}

describe('seed 003 on NATS', () => {
  it('a seed 003 subscriber reads events published by @interlink/bus with the seed codec: headers, subject and { type, data, metadata }', async () => {
    const { bus, metrics } = meteredBus(transport, '/ticket-service', { codec: SEED_003_NATS_FORMAT });
    const seed = seedSubscriber(`${prefix}.t1.>`);
    await nc.flush();
    const data = { ticketId: 'tk-1', seat: 'A1' };
    const sent = await bus.publish({ type: 'ticket.created', tenantId: 't1', subject: 'tk-1', data });
    await waitFor(() => seed.messages.length === 1, 'the seed subscriber');
    seed.stop();
    const msg = seed.messages[0]!;
    expect(msg.subject).toBe(`${prefix}.t1.ticket.created`);
    expect(msg.headers?.get('Nats-Msg-Id')).toBe(sent.id);
    expect(msg.headers?.get('tenant-id')).toBe('t1');
    expect(msg.headers?.get('timestamp')).toBe(sent.time);
    expect(msg.headers?.get('correlation-id')).toBe(sent.id);
    const body = JSON.parse(new TextDecoder().decode(msg.data));
    expect(body).toEqual({
      type: 'ticket.created',
      data,
      metadata: { id: sent.id, source: '/ticket-service', version: 1, subject: 'tk-1' },
    });
    expect(await metrics.metrics()).toContain(
      'interlink_bus_legacy_total{direction="write",format="seed-003",type="ticket.created",service="ticket-service"} 1',
    );
  });

  it('an Interlink consumer reads events a seed 003 service published with raw JetStream', async () => {
    const { bus, metrics } = meteredBus(transport, '/gateway', { legacyFormats: [SEED_003_NATS_FORMAT] });
    const events: EventEnvelope[] = [];
    const sub = await bus.subscribe('ticket.*', async (e) => void events.push(e), { group: 'bridge_reader' });
    // Seed 003's publisher: Nats-Msg-Id, tenant-id, correlation-id and timestamp headers.
    const h = natsHeaders();
    h.set('tenant-id', 't2');
    h.set('correlation-id', 'corr-9');
    h.set('timestamp', '2026-12-01T09:30:00.000Z');
    const payload = {
      type: 'ticket.created',
      data: { ticketId: 'tk-2', seat: 'B7' },
      metadata: { userId: 'u-4' },
    };
    await jetstream(nc).publish(`${prefix}.t2.ticket.created`, JSON.stringify(payload), {
      msgID: 'seed-msg-1',
      headers: h,
    });
    await waitFor(() => events.length === 1, 'the Interlink consumer');
    await sub.close();
    expect(events[0]).toMatchObject({
      specversion: '1.0',
      id: 'seed-msg-1',
      type: 'ticket.created',
      tenantid: 't2',
      userid: 'u-4',
      time: '2026-12-01T09:30:00.000Z',
      correlationid: 'corr-9',
      dataversion: 1,
      data: { ticketId: 'tk-2', seat: 'B7' },
    });
    expect(await metrics.metrics()).toContain(
      'interlink_bus_legacy_total{direction="read",format="seed-003",type="ticket.created",service="gateway"} 1',
    );
  });
});

describe('CloudEvents binary content mode on NATS', () => {
  it('puts the attributes in ce- headers and the data alone in the body; consumers read both modes untold', async () => {
    const wire = seedSubscriber(`${prefix}.t3.>`);
    await nc.flush();
    const reader = createBus({ transport, registry, source: '/reader' });
    const read: EventEnvelope[] = [];
    const sub = await reader.subscribe('ticket.*', async (e) => void read.push(e), {
      group: 'bridge_binary',
    });
    const binary = createBus({ transport, registry, source: '/binary', codec: binaryCodec });
    const structured = createBus({ transport, registry, source: '/structured' });
    const data = { ticketId: 'tk-3', seat: 'C1' };
    const sentBinary = await binary.publish({ type: 'ticket.created', tenantId: 't3', sequence: 5, data });
    const sentStructured = await structured.publish({ type: 'ticket.created', tenantId: 't3', data });
    await waitFor(() => wire.messages.length === 2 && read.length === 2, 'both events on the wire and read');
    wire.stop();
    await sub.close();
    const [binaryMsg, structuredMsg] = wire.messages as [Msg, Msg];
    expect(JSON.parse(new TextDecoder().decode(binaryMsg.data))).toEqual(data);
    const h = binaryMsg.headers!;
    expect([
      h.get('ce-specversion'),
      h.get('ce-id'),
      h.get('ce-type'),
      h.get('ce-tenantid'),
      h.get('ce-sequence'),
    ]).toEqual(['1.0', sentBinary.id, 'ticket.created', 't3', '5']);
    expect(h.get('content-type')).toBe('application/json');
    expect(JSON.parse(new TextDecoder().decode(structuredMsg.data))).toMatchObject({ specversion: '1.0' });
    expect(read).toEqual([sentBinary, sentStructured]);
  });
});

describe('bad input on NATS', () => {
  it('dead-letters at once a seed 003 message with no type and a binary message whose ce-specversion is not 1.0', async () => {
    const { bus, metrics } = meteredBus(transport, '/gateway', { legacyFormats: [SEED_003_NATS_FORMAT] });
    const handled: string[] = [];
    const sub = await bus.subscribe('ticket.*', async (e) => void handled.push(e.id), {
      group: 'bridge_bad',
    });
    const js = jetstream(nc);
    const noType = natsHeaders();
    noType.set('tenant-id', 't4');
    await js.publish(
      `${prefix}.t4.ticket.created`,
      JSON.stringify({ data: { ticketId: 'x', seat: 'y' }, metadata: {} }),
      {
        msgID: 'bad-no-type',
        headers: noType,
      },
    );
    const oldSpec = natsHeaders();
    for (const [k, v] of Object.entries({
      'ce-specversion': '0.3',
      'ce-type': 'ticket.created',
      'ce-id': 'bad-spec',
    }))
      oldSpec.set(k, v);
    await js.publish(`${prefix}.t4.ticket.created`, JSON.stringify({ ticketId: 'x', seat: 'y' }), {
      msgID: 'bad-spec',
      headers: oldSpec,
    });
    const store = transport.deadLetters!;
    await waitFor(async () => (await store.list({ group: 'bridge_bad' })).length === 2, 'two dead letters');
    const letters = await store.list({ group: 'bridge_bad' });
    expect(letters.map((l) => [l.eventId, l.code, l.attempts])).toEqual([
      ['bad-no-type', 'ERR_BUS_MALFORMED_MESSAGE', 1],
      ['bad-spec', 'ERR_BUS_UNSUPPORTED_SPECVERSION', 1],
    ]);
    expect(letters[0]!.reason).toContain('seed-003 message has no type');
    expect(handled).toEqual([]);
    const text = await metrics.metrics();
    for (const code of ['ERR_BUS_MALFORMED_MESSAGE', 'ERR_BUS_UNSUPPORTED_SPECVERSION'])
      expect(text).toContain(
        `interlink_bus_rejected_total{transport="nats",group="bridge_bad",code="${code}"} 1`,
      );
    await sub.close();
  });
});
