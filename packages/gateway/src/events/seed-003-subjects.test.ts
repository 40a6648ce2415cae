import { randomUUID } from 'node:crypto';
import { deleteNatsStreams, isolatedNatsNames, natsUrl, uniqueId } from '@interlink/testing';
import { openStream, startTestGateway, type TestGateway, type TestStream } from '@interlink/testing/gateway';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';
import type { BusEventSource } from './bus-event-source.js';
import { createGatewayEvents, type GatewayBusOptions } from './gateway-bus.js';

// Seed 003's services publish entity events on `events.{tenantId}.{eventType}` and user events on
// `events.{tenantId}.{userId}` in the same stream, each with its headers and `{ type, data,
// metadata }` body; the gateway (its `gateway` layout) must route each to its audience.
const names = isolatedNatsNames('gwseed');
const PREFIX = names.subjectPrefix;
const users = createDevUserTokens();
const streams: TestStream[] = [];
const gateways: TestGateway[] = [];
const sources: BusEventSource[] = [];
/** The codes each gateway reported skipping, by gateway. */
const refused = new Map<TestGateway, string[]>();
let nc: NatsConnection;

async function gateway(options: Partial<GatewayBusOptions> = {}): Promise<TestGateway> {
  const codes: string[] = [];
  const events = await createGatewayEvents({
    nc,
    stream: names.stream,
    subjectPrefix: PREFIX,
    onInvalid: (_position, error) => codes.push((error as { code?: string }).code ?? String(error)),
    ...options,
  });
  sources.push(events);
  const gw = await startTestGateway({ users, events, subjectPrefix: PREFIX });
  gateways.push(gw);
  refused.set(gw, codes);
  return gw;
}

async function listen(gw: TestGateway, tenantId: string, userId: string, lastEventId?: string) {
  const token = await users.mint({ userId, tenantId });
  const s = await openStream(`${gw.url}/events/stream`, {
    authorization: `Bearer ${token}`,
    ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
  });
  streams.push(s);
  expect(s.status).toBe(200);
  await s.waitForEvents(1, 'connected');
  return s;
}

/** A message as seed 003's services write it, with raw JetStream. */
async function publishSeed(subject: string, type: string, data: unknown, tenantId: string, more = {}) {
  const id = randomUUID();
  const h = natsHeaders();
  h.set('Nats-Msg-Id', id);
  h.set('tenant-id', tenantId);
  h.set('correlation-id', randomUUID());
  h.set('timestamp', new Date().toISOString());
  const body = { type, data, metadata: { source: 'circl-bff', ...more } };
  await jetstream(nc).publish(`${PREFIX}.${subject}`, JSON.stringify(body), { headers: h });
}

/** The events a stream received besides `connected`, as `type data`. */
const seen = (s: TestStream) =>
  s.events.filter((e) => e.event !== 'connected').map((e) => `${e.event} ${e.data}`);
const received = (s: TestStream, count: number) =>
  s.waitFor(() => seen(s).length >= count, `${count} events`);

beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
});

afterAll(async () => {
  for (const s of streams) s.close();
  for (const gw of gateways) await gw.close();
  for (const events of sources) await events.close();
  await nc.close();
  await deleteNatsStreams([names.stream, names.deadLetterStream]);
});

describe("seed 003's entity and user subjects through the gateway", () => {
  it('streams entity events to the whole tenant and user events to their user, live and resumed from history', async () => {
    const tenant = `t${uniqueId()}`;
    const a = await gateway();
    const alice = await listen(a, tenant, 'alice');
    const bob = await listen(a, tenant, 'bob');
    // A user named like an entity type gets the tenant's entity events once, as the tenant's.
    const created = await listen(a, tenant, 'created');
    await publishSeed(`${tenant}.created`, 'created', { id: 'e1' }, tenant);
    await publishSeed(`${tenant}.alice`, 'notification', { text: 'for alice' }, tenant);
    await publishSeed(`${tenant}.order.shipped`, 'order.shipped', { orderId: 'o1' }, tenant);
    await publishSeed(`${tenant}.bob`, 'notification', { text: 'for bob' }, tenant);
    // An entity event its writer addressed to one user (`metadata.userId`, as the bus writes it).
    await publishSeed(`${tenant}.updated`, 'updated', { id: 'e2' }, tenant, { userId: 'alice' });
    const tenantWide = ['created {"id":"e1"}', 'order.shipped {"orderId":"o1"}'];
    await received(alice, 4);
    await received(bob, 3);
    await received(created, 2);
    expect(seen(alice)).toEqual([
      tenantWide[0],
      'notification {"text":"for alice"}',
      tenantWide[1],
      'updated {"id":"e2"}',
    ]);
    expect(seen(bob)).toEqual([...tenantWide, 'notification {"text":"for bob"}']);
    // A marker after everything: `created` has had all its events by then.
    await publishSeed(`${tenant}.created`, 'created', { id: 'marker' }, tenant);
    await received(created, 3);
    expect(seen(created)).toEqual([...tenantWide, 'created {"id":"marker"}']);

    // A fresh instance replays the same audiences from the stream (its memory holds none of them).
    const b = await gateway();
    const from = `${b.events.head().epoch}:0`;
    const bobAgain = await listen(b, tenant, 'bob', from);
    await received(bobAgain, 4);
    expect(seen(bobAgain)).toEqual([
      ...tenantWide,
      'notification {"text":"for bob"}',
      'created {"id":"marker"}',
    ]);
  });

  it('refuses, reports and counts a message whose subject and body disagree, delivering it to no one', async () => {
    const tenant = `t${uniqueId()}`;
    const gw = await gateway();
    const carol = await listen(gw, tenant, 'carol');
    const created = await listen(gw, tenant, 'created');
    const archived = await listen(gw, tenant, 'archived');
    // An entity type missing from `entityEventTypes`: on a user's subject, but of that user's name.
    await publishSeed(`${tenant}.archived`, 'archived', { id: 'e2' }, tenant);
    // A user event for a user named like an entity type: on an entity subject, of another type.
    await publishSeed(`${tenant}.created`, 'notification', { text: 'private' }, tenant);
    // Another tenant's event on this tenant's user subject.
    await publishSeed(`${tenant}.carol`, 'notification', { text: 'foreign' }, 'someone-else');
    // A user subject whose body names another user.
    await publishSeed(`${tenant}.carol`, 'notification', { text: 'not carol' }, tenant, { userId: 'dave' });
    await publishSeed(`${tenant}.carol`, 'notification', { text: 'marker' }, tenant);
    await publishSeed(`${tenant}.updated`, 'updated', { id: 'marker' }, tenant);
    await received(carol, 2);
    await received(created, 1);
    await received(archived, 1);
    expect(seen(carol)).toEqual(['notification {"text":"marker"}', 'updated {"id":"marker"}']);
    expect(seen(created)).toEqual(['updated {"id":"marker"}']);
    expect(seen(archived)).toEqual(['updated {"id":"marker"}']);
    expect(refused.get(gw)).toEqual(Array(4).fill('ERR_GATEWAY_EVENT_UNROUTABLE'));
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/^sse_invalid_events_total\{[^}]*\} 4$/m);
  });

  it('takes the entity types from entityEventTypes', async () => {
    const tenant = `t${uniqueId()}`;
    const gw = await gateway({ entityEventTypes: ['archived'] });
    const erin = await listen(gw, tenant, 'erin');
    await publishSeed(`${tenant}.archived`, 'archived', { id: 'e3' }, tenant);
    // No longer listed: `created` is now a user's subject, and this user event reaches only them.
    await publishSeed(`${tenant}.created`, 'notification', { text: 'for created' }, tenant);
    await publishSeed(`${tenant}.erin`, 'notification', { text: 'marker' }, tenant);
    await received(erin, 2);
    expect(seen(erin)).toEqual(['archived {"id":"e3"}', 'notification {"text":"marker"}']);
    const created = await listen(gw, tenant, 'created', `${gw.events.head().epoch}:0`);
    await received(created, 2);
    expect(seen(created)).toEqual(['archived {"id":"e3"}', 'notification {"text":"for created"}']);
  });

  it('refuses an entity type that is not one subject token', async () => {
    await expect(createGatewayEvents({ entityEventTypes: ['order.created'] })).rejects.toMatchObject({
      code: 'ERR_GATEWAY_CONFIG',
    });
  });
});
