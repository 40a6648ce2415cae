import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Bus,
  createBus,
  createSchemaRegistry,
  type PositionedEvent,
  type PositionedSubscription,
  type Transport,
} from '@interlink/bus';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { suiteResources } from './suite-resources.js';

/** How the positioned conformance suite reaches one transport with an ordered log. */
export interface PositionedConformanceTarget {
  /**
   * A transport on a log of its own (a new stream), so positions and retention of one test never
   * meet another's; `retainEvents` bounds what the log keeps.
   */
  create(options?: { retainEvents?: number }): Promise<Transport>;
  /** Runs after the file's tests: delete streams. */
  cleanup?(): Promise<void>;
}

const Ping = Type.Object({ n: Type.Integer() });
type Ping = { n: number };

/** Reads a subscription to its end (a replay with `until`), or until `max` items. */
async function drain<T>(subscription: AsyncIterable<T>, max = Number.POSITIVE_INFINITY): Promise<T[]> {
  const out: T[] = [];
  if (max <= 0) return out;
  for await (const item of subscription) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

const numbers = (events: Array<PositionedEvent<Ping>>) => events.map((e) => e.event.data.n);

/**
 * Defines the shared tests of positioned subscriptions (vitest) for one transport: positions,
 * resuming after one, history that is gone, scopes, topic filters, skipped invalid messages, close.
 */
export function describePositionedConformance(name: string, target: PositionedConformanceTarget): void {
  describe(`positioned conformance: ${name}`, () => {
    const { transports: open, subscriptions } = suiteResources<PositionedSubscription<unknown>>(target);

    async function setup(options?: { retainEvents?: number }) {
      const id = randomBytes(3).toString('hex');
      const registry = createSchemaRegistry();
      registry.register({ type: `pos${id}.ping`, version: 1, schema: Ping });
      registry.register({ type: `pos${id}.pong`, version: 1, schema: Ping });
      const transport = await target.create(options);
      open.push(transport);
      const bus: Bus = createBus({ transport, registry, source: '/conformance' });
      return {
        bus,
        ping: `pos${id}.ping`,
        pong: `pos${id}.pong`,
        /** Publishes `{ n }` and returns its position. */
        async put(n: number, to: { tenantId?: string; userId?: string; type?: string } = {}) {
          const { type, ...scope } = to;
          return (await bus.positioned.publish({ type: type ?? `pos${id}.ping`, data: { n }, ...scope }))
            .position;
        },
        async subscribe(options: Parameters<Bus['positioned']['subscribe']>[0] = {}) {
          const subscription = await bus.positioned.subscribe<Ping>(options);
          subscriptions.push(subscription);
          return subscription;
        },
      };
    }

    it('gives each event the increasing position publish reported, and info ends at the newest', async () => {
      const h = await setup();
      const positions = [
        await h.put(1, { tenantId: 't1', userId: 'u1' }),
        await h.put(2, { tenantId: 't1' }),
        await h.put(3, { tenantId: 't2', userId: 'u9' }),
      ];
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(3);
      const info = await h.bus.positioned.info();
      expect(info.last).toBe(positions[2]);
      expect(info.first).toBeLessThanOrEqual(positions[0]!);
      const read = await drain(await h.subscribe({ start: 'all', until: info.last }));
      expect(read.map((e) => e.position)).toEqual(positions);
      expect(numbers(read)).toEqual([1, 2, 3]);
      expect(read[0]!.event).toMatchObject({ type: h.ping, tenantid: 't1', userid: 'u1' });
    });

    it('starts after a position mid-stream with exactly the events after it, in order', async () => {
      const h = await setup();
      const positions: number[] = [];
      for (let n = 1; n <= 6; n++) positions.push(await h.put(n, { tenantId: 't1', userId: `u${n % 2}` }));
      const subscription = await h.subscribe({ start: { after: positions[2]! }, until: positions[5]! });
      expect(subscription.startAfter).toBe(positions[2]);
      const read = await drain(subscription);
      expect(numbers(read)).toEqual([4, 5, 6]);
      expect(read.map((e) => e.position)).toEqual(positions.slice(3));
      // Nothing after the newest: a replay that ends at once.
      expect(
        await drain(await h.subscribe({ start: { after: positions[5]! }, until: positions[5]! })),
      ).toEqual([]);
    });

    it('follows new events live from the newest position, and close ends the iteration', async () => {
      const h = await setup();
      await h.put(1, { tenantId: 't1' });
      const before = await h.bus.positioned.info();
      const subscription = await h.subscribe();
      expect(subscription.startAfter).toBe(before.last);
      const reading = drain(subscription, 2);
      const later = [await h.put(2, { tenantId: 't1' }), await h.put(3, { tenantId: 't1', userId: 'u1' })];
      const read = await reading;
      expect(numbers(read)).toEqual([2, 3]);
      expect(read.map((e) => e.position)).toEqual(later);
      // A read waiting for the next event ends when its subscription is closed.
      const idle = await h.subscribe();
      const waiting = drain(idle);
      await idle.close();
      expect(await waiting).toEqual([]);
    });

    it('refuses to start after a position whose events are gone, with ERR_BUS_POSITION_GONE', async () => {
      const h = await setup({ retainEvents: 3 });
      const positions: number[] = [];
      for (let n = 1; n <= 6; n++) positions.push(await h.put(n, { tenantId: 't1' }));
      const info = await h.bus.positioned.info();
      expect(info.first).toBe(positions[3]);
      await expect(h.subscribe({ start: { after: positions[1]! } })).rejects.toMatchObject({
        code: 'ERR_BUS_POSITION_GONE',
        status: 410,
        extensions: { requested: positions[1], first: positions[3] },
      });
      // Right at the edge everything after it is still held.
      const rest = await drain(await h.subscribe({ start: { after: positions[2]! }, until: info.last }));
      expect(numbers(rest)).toEqual([4, 5, 6]);
      const all = await drain(await h.subscribe({ start: 'all', until: info.last }));
      expect(numbers(all)).toEqual([4, 5, 6]);
    });

    it('reads only the scopes asked for (a tenant as a whole and one of its users), in log order', async () => {
      const h = await setup();
      await h.put(1, { tenantId: 't1' });
      await h.put(2, { tenantId: 't1', userId: 'u1' });
      await h.put(3, { tenantId: 't1', userId: 'u2' });
      await h.put(4, { tenantId: 't2' });
      await h.put(5, { tenantId: 't2', userId: 'u1' });
      const last = await h.put(6, { tenantId: 't1', userId: 'u1' });
      const both = [{ tenantId: 't1' }, { tenantId: 't1', userId: 'u1' }];
      expect(numbers(await drain(await h.subscribe({ start: 'all', until: last, scopes: both })))).toEqual([
        1, 2, 6,
      ]);
      const user = [{ tenantId: 't1', userId: 'u1' }];
      expect(numbers(await drain(await h.subscribe({ start: 'all', until: last, scopes: user })))).toEqual([
        2, 6,
      ]);
    });

    it('reads only the types matching its topic patterns', async () => {
      const h = await setup();
      await h.put(1, { tenantId: 't1' });
      await h.put(2, { tenantId: 't1', type: h.pong });
      const last = await h.put(3, { tenantId: 't1' });
      const read = await drain(await h.subscribe({ start: 'all', until: last, patterns: [h.pong] }));
      expect(numbers(read)).toEqual([2]);
    });

    it('skips a stored message that is not a valid event and tells onInvalid its position', async () => {
      const h = await setup();
      await h.put(1, { tenantId: 't1' });
      const positioned = h.bus.transport.positioned!;
      const bad = await positioned.publish({
        id: randomUUID(),
        topic: h.ping,
        tenantId: 't1',
        body: Buffer.from('not json'),
      });
      const last = await h.put(2, { tenantId: 't1' });
      const invalid: Array<{ position: number; code: unknown }> = [];
      const read = await drain(
        await h.subscribe({
          start: 'all',
          until: last,
          onInvalid: (position, error) =>
            invalid.push({ position, code: (error as { code?: unknown }).code }),
        }),
      );
      expect(numbers(read)).toEqual([1, 2]);
      expect(invalid).toEqual([{ position: bad, code: 'ERR_BUS_MALFORMED_MESSAGE' }]);
    });

    it('refuses positions that are not non-negative integers', async () => {
      const h = await setup();
      await expect(h.subscribe({ start: { after: -1 } })).rejects.toMatchObject({
        code: 'ERR_BUS_INVALID_OPTIONS',
      });
      await expect(h.subscribe({ scopes: [{ tenantId: 'a.b' }] })).rejects.toMatchObject({
        code: 'ERR_BUS_INVALID_TOPIC',
      });
    });
  });
}
