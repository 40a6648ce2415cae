import { createBus, createNatsTransport, createSchemaRegistry } from '@interlink/bus';
import { deleteNatsStreams, natsUrl, uniqueId } from '@interlink/testing';
import { openStream, startTestGateway, type TestGateway, type TestStream } from '@interlink/testing/gateway';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';
import type { GatewayEventSource } from './event-source.js';
import { createGatewayEvents } from './gateway-bus.js';

// Services publish with @interlink/bus; browsers receive through the gateway reading the bus's stream.
const NATS_URL = natsUrl;
const suffix = uniqueId();
const STREAM = `GWBUS_${suffix}`;
const PREFIX = `gwbus${suffix}`;
const users = createDevUserTokens();
const streams: TestStream[] = [];
const gateways: TestGateway[] = [];
const sources: GatewayEventSource[] = [];
let nc: NatsConnection;
let bus: ReturnType<typeof createBus>;
let closeTransport: () => Promise<void>;

async function gateway(): Promise<TestGateway> {
  const events = await createGatewayEvents({ nc, stream: STREAM, subjectPrefix: PREFIX, layout: 'bus' });
  sources.push(events);
  const gw = await startTestGateway({ users, events, subjectPrefix: PREFIX });
  gateways.push(gw);
  return gw;
}

async function listen(gw: TestGateway, userId: string, headers: Record<string, string> = {}) {
  const token = await users.mint({ userId, tenantId: 't1' });
  const s = await openStream(`${gw.url}/events/stream`, { authorization: `Bearer ${token}`, ...headers });
  streams.push(s);
  await s.waitForEvents(1, 'connected');
  return s;
}

beforeAll(async () => {
  nc = await connect({ servers: NATS_URL });
  const transport = await createNatsTransport({
    connection: nc,
    stream: STREAM,
    subjectPrefix: PREFIX,
    deadLetterStream: `${STREAM}_DLQ`,
    deadLetterPrefix: `${PREFIX}_dlq`,
  });
  closeTransport = () => transport.close();
  const registry = createSchemaRegistry();
  registry.register({ type: 'order.paid', version: 1, schema: Type.Object({ orderId: Type.String() }) });
  bus = createBus({ transport, registry, source: '/orders' });
});

afterAll(async () => {
  for (const s of streams) s.close();
  for (const gw of gateways) await gw.close();
  for (const events of sources) await events.close();
  await closeTransport();
  await nc.close();
  await deleteNatsStreams([STREAM, `${STREAM}_DLQ`]);
});

describe('the bus layout', () => {
  it('streams events published with @interlink/bus to their user or tenant, and resumes them from history', async () => {
    const a = await gateway();
    const alice = await listen(a, 'alice');
    const bob = await listen(a, 'bob');
    await bus.publish({ type: 'order.paid', tenantId: 't1', userId: 'alice', data: { orderId: 'o1' } });
    await bus.publish({ type: 'order.paid', tenantId: 't1', data: { orderId: 'all' } });
    const [paid] = await alice.waitForEvents(2, 'order.paid');
    expect(JSON.parse(paid!.data)).toEqual({ orderId: 'o1' });
    const forBob = await bob.waitForEvents(1, 'order.paid');
    expect(forBob.map((e) => JSON.parse(e.data).orderId)).toEqual(['all']);

    // The gateway's own publish uses the bus's subjects and envelope too.
    await a.events.publish({ subject: `${PREFIX}.t1.alice`, type: 'note', data: '{"n":1}' });
    await alice.waitForEvents(1, 'note');

    // A fresh instance replays alice's missed events (user and tenant-wide) from the stream.
    const firstId = paid!.id!;
    await bus.publish({ type: 'order.paid', tenantId: 't1', userId: 'alice', data: { orderId: 'o2' } });
    const b = await gateway();
    const resumed = await listen(b, 'alice', { 'last-event-id': firstId });
    await resumed.waitFor(() => resumed.events.length >= 4, 'replayed events');
    expect(resumed.events.slice(1).map((e) => `${e.event} ${e.data}`)).toEqual([
      'order.paid {"orderId":"all"}',
      'note {"n":1}',
      'order.paid {"orderId":"o2"}',
    ]);
  });
});
