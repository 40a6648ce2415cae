import { runWithContext } from '@interlink/core';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { BusError } from '../errors/bus-error-codes.js';
import { createSeedRegistry } from '../presets/seed-registry.js';
import { createEvent } from './create-event.js';
import { decodeEvent } from './decode-event.js';
import { encodeEvent } from './encode-event.js';
import { createEventClock } from './event-clock.js';
import { createSchemaRegistry } from './schema-registry.js';

const source = '/order-service';
const created = {
  orderId: 'o-1',
  userId: 'u-1',
  eventId: 'e-1',
  items: [{ ticketTypeId: 't-1', quantity: 2, unitPriceCents: 1250 }],
  totalCents: 2500,
  currency: 'USD',
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as BusError).code;
  }
  return undefined;
}

describe('event envelope', () => {
  const registry = createSeedRegistry();

  it('registers the seed types: order.* of seed 002 and messages.* of seed 000', () => {
    expect(registry.types()).toEqual([
      'messages.email',
      'messages.push',
      'messages.slack',
      'messages.sms',
      'order.cancelled',
      'order.confirmed',
      'order.created',
      'order.expired',
      'order.failed',
      'order.refunded',
      'order.reserved',
    ]);
  });

  it('builds a CloudEvents 1.0 envelope with tenant, sequence, trace and schema version', () => {
    const ctx = {
      requestId: 'r-1',
      trace: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), flags: 1 },
      tenantId: 'spoofed',
      principal: { kind: 'user' as const, tenantId: 'tenant-1', roles: [], permissions: [], scheme: 'jwt' },
    };
    const event = runWithContext(ctx, () =>
      createEvent(
        { type: 'order.created', data: created, subject: 'o-1', sequence: 3, userId: 'u-1' },
        { registry, source },
      ),
    );
    expect(event).toMatchObject({
      specversion: '1.0',
      source,
      type: 'order.created',
      subject: 'o-1',
      datacontenttype: 'application/json',
      dataschema: 'urn:interlink:event:order.created:2',
      dataversion: 2,
      tenantid: 'tenant-1',
      userid: 'u-1',
      sequence: 3,
      traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
      data: created,
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(event.time))).toBe(false);
  });

  it('refuses invalid data at once with ERR_BUS_EVENT_INVALID naming the field', () => {
    let error: BusError | undefined;
    try {
      createEvent({ type: 'order.created', data: { ...created, totalCents: -1 } }, { registry, source });
    } catch (e) {
      error = e as BusError;
    }
    expect(error).toBeInstanceOf(BusError);
    expect(error?.code).toBe('ERR_BUS_EVENT_INVALID');
    expect(error?.status).toBe(400);
    expect(error?.message).toContain('/totalCents');
    expect(error?.extensions?.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '/totalCents' })]),
    );
  });

  it('refuses unknown types, unknown versions, bad tenant ids, bad times and bad type names', () => {
    expect(codeOf(() => createEvent({ type: 'order.lost', data: {} }, { registry, source }))).toBe(
      'ERR_BUS_UNKNOWN_EVENT_TYPE',
    );
    expect(
      codeOf(() => createEvent({ type: 'order.created', version: 9, data: created }, { registry, source })),
    ).toBe('ERR_BUS_UNKNOWN_SCHEMA_VERSION');
    expect(
      codeOf(() =>
        createEvent({ type: 'order.created', data: created, tenantId: 'a.b' }, { registry, source }),
      ),
    ).toBe('ERR_BUS_INVALID_TOPIC');
    expect(codeOf(() => createEvent({ type: 'order.*', data: created }, { registry, source }))).toBe(
      'ERR_BUS_INVALID_TOPIC',
    );
    expect(
      codeOf(() =>
        createEvent({ type: 'order.created', data: created, time: 'yesterday' }, { registry, source }),
      ),
    ).toBe('ERR_BUS_EVENT_INVALID');
  });

  it('upcasts an order.created v1 (major units) to v2 (cents) on read', () => {
    const { totalCents: _, ...rest } = created;
    const v1 = createEvent(
      { type: 'order.created', version: 1, data: { ...rest, total: 25.1 } },
      { registry, source },
    );
    const read = decodeEvent(encodeEvent(v1), registry);
    expect(read.dataversion).toBe(2);
    expect(read.dataschema).toBe('urn:interlink:event:order.created:2');
    expect(read.data).toEqual({ ...rest, totalCents: 2510 });
  });

  it('rejects malformed messages and data that no longer matches its schema on read', () => {
    expect(codeOf(() => decodeEvent(Buffer.from('{not json'), registry))).toBe('ERR_BUS_MALFORMED_MESSAGE');
    expect(codeOf(() => decodeEvent(Buffer.from('{"type":"order.created"}'), registry))).toBe(
      'ERR_BUS_MALFORMED_MESSAGE',
    );
    const event = createEvent(
      { type: 'order.failed', data: { orderId: 'o', reason: 'x' } },
      { registry, source },
    );
    const tampered = Buffer.from(JSON.stringify({ ...event, data: { orderId: 'o' } }));
    expect(codeOf(() => decodeEvent(tampered, registry))).toBe('ERR_BUS_EVENT_INVALID');
  });

  it('refuses an oversized event before sending with ERR_BUS_MESSAGE_TOO_LARGE', () => {
    const event = createEvent(
      { type: 'messages.slack', data: { channel: 'c', text: 'x'.repeat(2000) } },
      { registry, source },
    );
    expect(codeOf(() => encodeEvent(event, 1000))).toBe('ERR_BUS_MESSAGE_TOO_LARGE');
    expect(encodeEvent(event).length).toBeGreaterThan(2000);
  });

  it('demands contiguous versions with upcasters, and reports broken upcasters', () => {
    const r = createSchemaRegistry();
    r.register({ type: 'x.y', version: 1, schema: Type.Object({ a: Type.String() }) });
    expect(codeOf(() => r.register({ type: 'x.y', version: 1, schema: Type.Object({}) }))).toBe(
      'ERR_BUS_SCHEMA_CONFLICT',
    );
    expect(codeOf(() => r.register({ type: 'x.y', version: 2, schema: Type.Object({}) }))).toBe(
      'ERR_BUS_SCHEMA_CONFLICT',
    );
    r.register({
      type: 'x.y',
      version: 2,
      schema: Type.Object({ b: Type.Number() }),
      upcast: () => ({ b: 'nope' }) as never,
    });
    expect(codeOf(() => r.upcast('x.y', 1, { a: 'v' }))).toBe('ERR_BUS_UPCAST_FAILED');
  });

  it('passes unregistered types through unchecked when asked to, and still checks registered ones', () => {
    const relay = createSchemaRegistry({ unknownTypes: 'pass' });
    relay.register({ type: 'x.known', version: 1, schema: Type.Object({ a: Type.String() }) });
    const event = createEvent({ type: 'chat.message', data: { anything: [1] } }, { registry: relay, source });
    expect(event.dataversion).toBe(1);
    expect(decodeEvent(encodeEvent({ ...event, dataversion: 3 }), relay)).toMatchObject({
      type: 'chat.message',
      dataversion: 3,
      data: { anything: [1] },
    });
    expect(codeOf(() => createEvent({ type: 'x.known', data: { a: 1 } }, { registry: relay, source }))).toBe(
      'ERR_BUS_EVENT_INVALID',
    );
    expect(codeOf(() => createEvent({ type: 'chat.message', data: {} }, { registry, source }))).toBe(
      'ERR_BUS_UNKNOWN_EVENT_TYPE',
    );
  });
});

describe('event clock', () => {
  it('stamps every event of one millisecond with that millisecond, and the next one anew', () => {
    let ms = Date.UTC(2026, 11, 3, 14, 0, 0, 1);
    const clock = createEventClock(() => ms);
    expect(clock()).toBe('2026-12-03T14:00:00.001Z');
    expect(clock()).toBe('2026-12-03T14:00:00.001Z');
    ms += 1;
    expect(clock()).toBe('2026-12-03T14:00:00.002Z');
  });

  it('is what createEvent stamps an event given no time with, and a given time wins', () => {
    const registry = createSeedRegistry();
    const clock = createEventClock(() => Date.UTC(2030, 0, 2, 3, 4, 5, 6));
    const data = { orderId: 'o-1', reason: 'r' };
    expect(createEvent({ type: 'order.failed', data }, { registry, source, clock }).time).toBe(
      '2030-01-02T03:04:05.006Z',
    );
    const given = createEvent(
      { type: 'order.failed', data, time: '2026-01-01T00:00:00+01:00' },
      { registry, source, clock },
    );
    expect(given.time).toBe('2025-12-31T23:00:00.000Z');
  });
});
