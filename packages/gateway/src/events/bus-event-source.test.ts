import { deleteNatsStreams, natsUrl, uniqueId } from '@interlink/testing';
import { openStream, startTestGateway, type TestGateway, type TestStream } from '@interlink/testing/gateway';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';
import type { GatewayEventSource } from './event-source.js';
import { createGatewayEvents } from './gateway-bus.js';

const NATS_URL = natsUrl;
const suffix = uniqueId();
const STREAM = `GWTEST_${suffix}`;
const PREFIX = `gwtest_${suffix}`;

const connections: NatsConnection[] = [];
const sources: GatewayEventSource[] = [];
const gateways: TestGateway[] = [];
const streams: TestStream[] = [];
const users = createDevUserTokens();

async function source(): Promise<GatewayEventSource> {
  const nc = await connect({ servers: NATS_URL });
  connections.push(nc);
  const events = await createGatewayEvents({ nc, stream: STREAM, subjectPrefix: PREFIX, memoryEvents: 1000 });
  sources.push(events);
  return events;
}

async function gateway(): Promise<TestGateway> {
  const gw = await startTestGateway({ users, events: await source(), subjectPrefix: PREFIX });
  gateways.push(gw);
  return gw;
}

async function connectTo(gw: TestGateway, headers: Record<string, string> = {}, user = 'u1') {
  const token = await users.mint({ userId: user, tenantId: 't1' });
  const stream = await openStream(`${gw.url}/events/stream`, {
    authorization: `Bearer ${token}`,
    ...headers,
  });
  streams.push(stream);
  expect(stream.status).toBe(200);
  await stream.waitForEvents(1, 'connected');
  return stream;
}

const numbers = (stream: TestStream) =>
  stream.events.filter((e) => e.event === 'n').map((e) => JSON.parse(e.data).n as number);

beforeAll(async () => {
  // The stream exists before the gateways start, as in a deployment.
  const nc = await connect({ servers: NATS_URL });
  connections.push(nc);
  await (await jetstreamManager(nc)).streams.add({ name: STREAM, subjects: [`${PREFIX}.>`] });
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  for (const gw of gateways) await gw.close();
  for (const events of sources) await events.close();
  for (const nc of connections) await nc.close();
  // The bus's NATS transport also made the dead-letter stream beside the events.
  await deleteNatsStreams([STREAM, `${STREAM}_DLQ`]);
});

const consumersOnStream = async () =>
  (await (await jetstreamManager(connections[0]!)).streams.info(STREAM)).state.consumer_count;

describe('the bus event source on NATS JetStream across gateway instances', () => {
  it('holds one consumer on the stream per instance, however many users are connected or resume', async () => {
    // An event from before the instance starts, so a resume from 0 must read the stream's history.
    const publisher = await source();
    await publisher.publish({ subject: `${PREFIX}.t1`, type: 'n', data: '{"n":-1}' });
    const before = await consumersOnStream();
    const gw = await gateway();
    expect(await consumersOnStream()).toBe(before + 1);
    const open = [];
    for (let i = 0; i < 40; i++) open.push(await connectTo(gw, {}, `many${i}`));
    await gw.events.publish({ subject: `${PREFIX}.t1`, type: 'n', data: '{"n":0}' });
    for (const stream of open) await stream.waitForEvents(1, 'n');
    expect(await consumersOnStream()).toBe(before + 1);
    // A resume from before this instance started reads history with a consumer of its own, gone after.
    const resumed = await connectTo(gw, { 'last-event-id': `${gw.events.head().epoch}:0` }, 'many0');
    const replayed = await resumed.waitForEvents(2, 'n');
    expect(replayed.map((e) => JSON.parse(e.data).n)).toEqual([-1, 0]);
    expect(await consumersOnStream()).toBe(before + 1);
  });

  it('resumes on another instance with every event exactly once, in order, while events keep flowing', async () => {
    const a = await gateway();
    const b = await gateway();
    const first = await connectTo(a);
    const total = 150;
    let published = 0;
    const publishing = (async () => {
      for (let n = 1; n <= total; n++) {
        // Alternate user and tenant-wide subjects: order must hold across both.
        const subject = n % 3 === 0 ? `${PREFIX}.t1` : `${PREFIX}.t1.u1`;
        await a.events.publish({ subject, type: 'n', data: JSON.stringify({ n }) });
        published = n;
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    await first.waitFor(() => numbers(first).length >= 30, '30 events on instance A');
    first.close();
    const lastId = first.events.filter((e) => e.event === 'n').at(-1)!.id!;
    const seen = numbers(first);
    // B has the missed events in memory; C starts now, so it must read them from JetStream while
    // new events keep arriving live.
    const c = await gateway();
    const [second, late] = await Promise.all([
      connectTo(b, { 'last-event-id': lastId }),
      connectTo(c, { 'last-event-id': lastId }),
    ]);
    expect(published).toBeLessThan(total); // both resumes happened mid-flow
    await publishing;
    const all = Array.from({ length: total }, (_, i) => i + 1);
    for (const resumed of [second, late]) {
      await resumed.waitFor(() => seen.length + numbers(resumed).length >= total, 'every event', 10_000);
      expect([...seen, ...numbers(resumed)]).toEqual(all);
      const ids = resumed.events.filter((e) => e.event === 'n').map((e) => Number(e.id!.split(':')[1]));
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    }
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(/sse_events_replayed_total\{source="history"[^}]*\} [1-9]/);
  });

  it('gives reset when the stream no longer holds the requested point, or the id is from another stream', async () => {
    const a = await gateway();
    const first = await connectTo(a, {}, 'u2');
    await a.events.publish({ subject: `${PREFIX}.t1.u2`, type: 'n', data: '{"n":1}' });
    const [one] = await first.waitForEvents(1, 'n');
    for (let n = 2; n <= 4; n++) {
      await a.events.publish({ subject: `${PREFIX}.t1.u2`, type: 'n', data: JSON.stringify({ n }) });
    }
    const jsm = await jetstreamManager(connections[0]!);
    await jsm.streams.purge(STREAM, { keep: 1 });
    const b = await gateway(); // a fresh instance, so the answer comes from the stream, not memory
    const resumed = await connectTo(b, { 'last-event-id': one!.id! }, 'u2');
    const [reset] = await resumed.waitForEvents(1, 'reset');
    expect(JSON.parse(reset!.data).reason).toBe('expired');
    const [epoch] = one!.id!.split(':');
    const foreign = await connectTo(b, { 'last-event-id': `x${epoch}:1` }, 'u2');
    expect(JSON.parse((await foreign.waitForEvents(1, 'reset'))[0]!.data).reason).toBe('epoch');
    const future = await connectTo(b, { 'last-event-id': `${epoch}:999999` }, 'u2');
    expect(JSON.parse((await future.waitForEvents(1, 'reset'))[0]!.data).reason).toBe('future');
  });

  it('skips raw bodies stored before the gateway moved to the bus, and counts them in a metric', async () => {
    const gw = await gateway();
    const stream = await connectTo(gw, {}, 'u9');
    // What the gateway wrote before: the data itself as the body, the SSE name in a header.
    const h = natsHeaders();
    h.set('Interlink-Event-Type', 'n');
    await jetstream(connections[0]!).publish(`${PREFIX}.t1.u9`, '{"n":1}', { headers: h });
    await gw.events.publish({ subject: `${PREFIX}.t1.u9`, type: 'n', data: '{"n":2}' });
    await stream.waitForEvents(1, 'n');
    expect(numbers(stream)).toEqual([2]);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/^sse_invalid_events_total\{[^}]*\} 1$/m);
  });
});
