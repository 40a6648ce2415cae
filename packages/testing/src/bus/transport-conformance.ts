import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  type Bus,
  BusError,
  createBus,
  createMemoryInbox,
  createSchemaRegistry,
  type EventEnvelope,
  type Inbox,
  type Subscription,
  type Transport,
} from '@interlink/bus';
import { currentContext, notRetryable, runWithContext } from '@interlink/core';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { typeScriptNodeArgs } from '../spawn/typescript-child.js';
import { waitFor } from '../wait/wait-for.js';
import type { CrashChildSpec } from './crash-child.js';
import { suiteResources } from './suite-resources.js';

/** How the conformance suite reaches one transport implementation. */
export interface ConformanceTarget {
  /** A new transport (its own connection) on this test file's isolated broker namespace. */
  create(): Promise<Transport>;
  /**
   * At-most-once transports (Redis pub/sub) run only the subset that makes no delivery promise:
   * publish and consume, fan-out to groups, refusals at publish.
   */
  atMostOnce?: boolean;
  /**
   * True when the broker itself drops a second publish of the same id (NATS `Nats-Msg-Id`);
   * otherwise the duplicate test goes through an inbox, which is how such transports promise it.
   */
  brokerDeduplicates?: boolean;
  /**
   * How a child process builds the same transport (JSON options), for the kill -9 test; absent
   * for the in-memory transport, whose messages die with its process by design.
   */
  crashChild?: { kind: 'nats' | 'rabbitmq'; options: Record<string, unknown> };
  /** Runs after every test of the file: delete streams, queues, exchanges. */
  cleanup?(): Promise<void>;
}

const Ping = Type.Object({ n: Type.Integer(), pad: Type.Optional(Type.String()) });

interface Harness {
  bus: Bus;
  topic: string;
  group: string;
  subscribe(
    handler: (event: EventEnvelope<{ n: number }>, attempt: number) => Promise<void>,
    options?: {
      group?: string;
      concurrency?: number;
      maxDeliver?: number;
      backoff?: (n: number) => number;
      bus?: Bus;
    },
  ): Promise<Subscription>;
  ping(n: number, extra?: { id?: string; tenantId?: string; pad?: string }): Promise<EventEnvelope>;
}

/**
 * Defines the shared transport conformance tests (vitest) for one transport. Each test uses its
 * own event type and consumer group, so tests never see each other's messages.
 */
export function describeTransportConformance(name: string, target: ConformanceTarget): void {
  describe(`transport conformance: ${name}`, () => {
    const { transports: open, subscriptions: subs } = suiteResources<Subscription>(target);
    let n = 0;

    let lastId = '';

    async function harness(): Promise<Harness> {
      const id = `${++n}${randomBytes(3).toString('hex')}`;
      lastId = id;
      const topic = `conformance${id}.ping`;
      const registry = createSchemaRegistry();
      registry.register({ type: topic, version: 1, schema: Ping });
      const transport = await target.create();
      open.push(transport);
      const bus = createBus({ transport, registry, source: '/conformance' });
      const group = `g${id}`;
      return {
        bus,
        topic,
        group,
        async subscribe(handler, options = {}) {
          const sub = await (options.bus ?? bus).subscribe<{ n: number }>(
            `conformance${id}.*`,
            (event, info) => handler(event, info.attempt),
            {
              group: options.group ?? group,
              concurrency: options.concurrency ?? 1,
              maxDeliver: options.maxDeliver ?? 5,
              backoff: options.backoff ?? (() => 20),
            },
          );
          subs.push(sub);
          return sub;
        },
        ping(value, extra = {}) {
          return bus.publish({
            type: topic,
            data: extra.pad === undefined ? { n: value } : { n: value, pad: extra.pad },
            subject: 'agg-1',
            ...(extra.id ? { id: extra.id } : {}),
            ...(extra.tenantId ? { tenantId: extra.tenantId } : {}),
          });
        },
      };
    }

    /** A second bus on its own connection, same registry: another process in the same group. */
    async function secondBus(h: Harness): Promise<Bus> {
      const transport = await target.create();
      open.push(transport);
      return createBus({ transport, registry: h.bus.registry, source: '/conformance' });
    }

    it('publishes and consumes, restoring tenant and trace in the handler context', async () => {
      const h = await harness();
      const got: Array<{ n: number; tenant?: string; traceId?: string; requestId?: string }> = [];
      await h.subscribe(async (event) => {
        const ctx = currentContext();
        got.push({
          n: event.data.n,
          tenant: ctx?.tenantId,
          traceId: ctx?.trace.traceId,
          requestId: ctx?.requestId,
        });
      });
      const traceId = randomBytes(16).toString('hex');
      const ctx = { requestId: 'r', trace: { traceId, spanId: randomBytes(8).toString('hex'), flags: 1 } };
      const sent = await runWithContext(ctx, () => h.ping(1, { tenantId: 'tenant-a' }));
      await h.ping(2);
      await waitFor(() => got.length === 2, 'two deliveries');
      const first = got.find((g) => g.n === 1);
      expect(first).toEqual({ n: 1, tenant: 'tenant-a', traceId, requestId: sent.id });
      expect(got.map((g) => g.n).sort()).toEqual([1, 2]);
    });

    it('gives every group each message, and refuses invalid and oversized events at publish', async () => {
      const h = await harness();
      const a: number[] = [];
      const b: number[] = [];
      await h.subscribe(async (e) => void a.push(e.data.n));
      await h.subscribe(async (e) => void b.push(e.data.n), { group: `${h.group}b` });
      await expect(h.bus.publish({ type: h.topic, data: { n: 'x' } })).rejects.toMatchObject({
        code: 'ERR_BUS_EVENT_INVALID',
      });
      await expect(h.ping(0, { pad: 'x'.repeat(h.bus.transport.maxBytes) })).rejects.toMatchObject({
        code: 'ERR_BUS_MESSAGE_TOO_LARGE',
      });
      await h.ping(7);
      await waitFor(() => a.length === 1 && b.length === 1, 'one delivery per group');
      await sleep(50);
      expect([a, b]).toEqual([[7], [7]]);
    });

    if (target.atMostOnce) return;

    it('shares work between competing consumers of one group', async () => {
      const h = await harness();
      const other = await secondBus(h);
      const byConsumer: number[][] = [[], []];
      const slow = (i: number) => async (e: EventEnvelope<{ n: number }>) => {
        await sleep(20);
        byConsumer[i]!.push(e.data.n);
      };
      await h.subscribe(slow(0));
      await h.subscribe(slow(1), { bus: other });
      for (let i = 0; i < 20; i++) await h.ping(i);
      await waitFor(() => byConsumer[0]!.length + byConsumer[1]!.length === 20, 'all 20 handled');
      expect(byConsumer[0]!.length).toBeGreaterThan(0);
      expect(byConsumer[1]!.length).toBeGreaterThan(0);
      expect(new Set([...byConsumer[0]!, ...byConsumer[1]!]).size).toBe(20);
    });

    it('redelivers a message whose handler throws, with backoff, until it succeeds', async () => {
      const h = await harness();
      const attempts: number[] = [];
      const backoffCalls: number[] = [];
      await h.subscribe(
        async (_e, attempt) => {
          attempts.push(attempt);
          if (attempt < 3) throw new Error('flaky');
        },
        {
          backoff: (a) => {
            backoffCalls.push(a);
            return 30;
          },
        },
      );
      await h.ping(1);
      await waitFor(() => attempts.length === 3, 'three attempts');
      await sleep(100);
      expect(attempts).toEqual([1, 2, 3]);
      expect(backoffCalls).toEqual([1, 2]);
      expect(await h.bus.transport.deadLetters?.list({ group: h.group })).toEqual([]);
    });

    it('dead-letters a poison message after the delivery limit, with reason and attempt count', async () => {
      const h = await harness();
      let calls = 0;
      await h.subscribe(
        async () => {
          calls++;
          throw new Error('poison pill');
        },
        { maxDeliver: 3 },
      );
      const sent = await h.ping(1);
      const store = h.bus.transport.deadLetters!;
      await waitFor(async () => (await store.list({ group: h.group })).length === 1, 'a dead letter');
      const [letter] = await store.list({ group: h.group });
      expect(letter).toMatchObject({ eventId: sent.id, topic: h.topic, group: h.group, attempts: 3 });
      expect(letter!.reason).toContain('poison pill');
      expect(calls).toBe(3);
      expect(JSON.parse(Buffer.from(letter!.body).toString())).toMatchObject({ id: sent.id, data: { n: 1 } });
      expect((await store.get(letter!.id)).eventId).toBe(sent.id);
    });

    it('dead-letters at once a message whose handler throws an error that is not retryable', async () => {
      const h = await harness();
      let calls = 0;
      await h.subscribe(
        async () => {
          calls++;
          throw notRetryable(new Error('unknown customer'));
        },
        { maxDeliver: 5 },
      );
      const sent = await h.ping(1);
      const store = h.bus.transport.deadLetters!;
      await waitFor(async () => (await store.list({ group: h.group })).length === 1, 'a dead letter');
      const [letter] = await store.list({ group: h.group });
      expect(letter).toMatchObject({ eventId: sent.id, attempts: 1 });
      expect(letter!.reason).toContain('unknown customer');
      expect(calls).toBe(1);
    });

    it('replays a dead letter to its group and purges dead letters', async () => {
      const h = await harness();
      let healthy = false;
      const handled: number[] = [];
      await h.subscribe(
        async (e) => {
          if (!healthy) throw new Error('down');
          handled.push(e.data.n);
        },
        { maxDeliver: 1 },
      );
      await h.ping(1);
      await h.ping(2);
      const store = h.bus.transport.deadLetters!;
      await waitFor(async () => (await store.list({ group: h.group })).length === 2, 'two dead letters');
      const [first, second] = await store.list({ group: h.group });
      healthy = true;
      await store.replay(first!.id);
      await waitFor(() => handled.length === 1, 'the replayed message');
      expect(handled).toEqual([JSON.parse(Buffer.from(first!.body).toString()).data.n]);
      await expect(store.get(first!.id)).rejects.toMatchObject({ code: 'ERR_BUS_DEAD_LETTER_NOT_FOUND' });
      expect(await store.purge(second!.id)).toBe(1);
      expect(await store.list({ group: h.group })).toEqual([]);
    });

    it('replays a dead letter to the group that failed it, not to the other groups', async () => {
      const h = await harness();
      const failing: number[] = [];
      const healthy: number[] = [];
      let broken = true;
      await h.subscribe(
        async (e) => {
          failing.push(e.data.n);
          if (broken) throw new Error('down');
        },
        { maxDeliver: 1 },
      );
      await h.subscribe(async (e) => void healthy.push(e.data.n), { group: `${h.group}ok` });
      await h.ping(5);
      const store = h.bus.transport.deadLetters!;
      await waitFor(async () => (await store.list({ group: h.group })).length === 1, 'the dead letter');
      await waitFor(() => healthy.length === 1, 'the healthy group');
      broken = false;
      await store.replay((await store.list({ group: h.group }))[0]!.id);
      await waitFor(() => failing.length === 2, 'the replay in the failing group');
      // A marker published after the replay: once both groups have it, the replay had its chance
      // to reach the healthy group too.
      await h.ping(6);
      await waitFor(() => healthy.includes(6) && failing.includes(6), 'the marker in both groups');
      expect(healthy).toEqual([5, 6]);
      expect(failing).toEqual([5, 5, 6]);
    });

    it('dead-letters an invalid event at consume without retrying or calling the handler', async () => {
      const h = await harness();
      let calls = 0;
      await h.subscribe(async () => void calls++, { maxDeliver: 5 });
      const id = randomUUID();
      const bad = {
        specversion: '1.0',
        id,
        source: '/rogue',
        type: h.topic,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        dataschema: `urn:interlink:event:${h.topic}:1`,
        dataversion: 1,
        data: { n: 'not a number' },
      };
      await h.bus.transport.publish({ id, topic: h.topic, body: Buffer.from(JSON.stringify(bad)) });
      await h.bus.transport.publish({ id: randomUUID(), topic: h.topic, body: Buffer.from('not json') });
      const store = h.bus.transport.deadLetters!;
      await waitFor(async () => (await store.list({ group: h.group })).length === 2, 'two dead letters');
      const letters = await store.list({ group: h.group });
      expect(letters.map((l) => l.code).sort()).toEqual([
        'ERR_BUS_EVENT_INVALID',
        'ERR_BUS_MALFORMED_MESSAGE',
      ]);
      expect(letters.map((l) => l.attempts)).toEqual([1, 1]);
      expect(calls).toBe(0);
    });

    it('delivers a duplicate publish (same event id) once', async () => {
      const h = await harness();
      const got: string[] = [];
      // Brokers without publish deduplication keep this promise through the consumer's inbox.
      const inbox: Inbox | undefined = target.brokerDeduplicates ? undefined : createMemoryInbox();
      await h.subscribe(async (e) => {
        if (inbox && !(await inbox.claim(h.group, e.id))) return;
        got.push(e.id);
      });
      const id = randomUUID();
      await h.ping(1, { id });
      await h.ping(1, { id });
      const marker = await h.ping(2);
      await waitFor(() => got.includes(marker.id), 'the marker');
      await sleep(50);
      expect(got.filter((g) => g === id)).toHaveLength(1);
    });

    it('never runs more handlers at once than the concurrency limit', async () => {
      const h = await harness();
      let inFlight = 0;
      let peak = 0;
      let done = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      await h.subscribe(
        async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await gate;
          inFlight--;
          done++;
        },
        { concurrency: 3 },
      );
      for (let i = 0; i < 8; i++) await h.ping(i);
      await waitFor(() => inFlight === 3, 'three handlers running');
      await sleep(100);
      expect(peak).toBe(3);
      release();
      await waitFor(() => done === 8, 'all eight handled');
      expect(peak).toBe(3);
    });

    it('finishes in-flight handlers on close and acknowledges them', async () => {
      const h = await harness();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = 0;
      let finished = 0;
      const sub = await h.subscribe(async () => {
        started++;
        await gate;
        finished++;
      });
      const sent = await h.ping(1);
      await waitFor(() => started === 1, 'the handler to start');
      let closed = false;
      const closing = sub.close().then(() => {
        closed = true;
      });
      await sleep(100);
      expect(closed).toBe(false);
      release();
      await closing;
      expect(finished).toBe(1);
      // The finished message was acknowledged: a new consumer in the group does not get it again.
      const after: string[] = [];
      await h.subscribe(async (e) => void after.push(e.id));
      const marker = await h.ping(2);
      await waitFor(() => after.includes(marker.id), 'the marker');
      expect(after).not.toContain(sent.id);
    });

    it('reports the backlog of a group that is not consuming (consumer lag)', async () => {
      const h = await harness();
      const got: number[] = [];
      const sub = await h.subscribe(async (e) => void got.push(e.data.n));
      await h.ping(0);
      await waitFor(() => got.length === 1, 'the first event');
      await sub.close();
      for (let i = 1; i <= 3; i++) await h.ping(i);
      await waitFor(async () => (await h.bus.transport.pending(h.group)) === 3, 'a backlog of three');
      await h.subscribe(async (e) => void got.push(e.data.n));
      await waitFor(() => got.length === 4, 'the backlog to be consumed');
      await waitFor(async () => (await h.bus.transport.pending(h.group)) === 0, 'no backlog');
    });

    const child = target.crashChild;
    if (child) {
      it('redelivers the message of a consumer process killed mid-handler (kill -9)', async () => {
        const h = await harness();
        const spec: CrashChildSpec = {
          kind: child.kind,
          options: child.options,
          pattern: `conformance${lastId}.*`,
          group: h.group,
          maxDeliver: 5,
        };
        const proc = spawn(
          process.execPath,
          [...typeScriptNodeArgs, fileURLToPath(new URL('./crash-child.ts', import.meta.url))],
          {
            env: { ...process.env, BUS_CRASH_CHILD: JSON.stringify(spec) },
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        const exited = once(proc, 'exit');
        try {
          const lines: string[] = [];
          createInterface({ input: proc.stdout! }).on('line', (line) => lines.push(line));
          await waitFor(() => lines.includes('ready'), 'the child consumer', 15_000);
          const sent = await h.ping(1);
          await waitFor(() => lines.includes(`started ${sent.id} 1`), 'the child to start handling');
          proc.kill('SIGKILL');
          await exited;
          const got: Array<{ id: string; attempt: number }> = [];
          await h.subscribe(async (e, attempt) => void got.push({ id: e.id, attempt }));
          await waitFor(() => got.length > 0, 'the redelivery', 15_000);
          expect(got[0]).toEqual({ id: sent.id, attempt: 2 });
        } finally {
          proc.kill('SIGKILL');
        }
      });
    }

    it('refuses to publish once closed', async () => {
      const h = await harness();
      await h.bus.close();
      await expect(h.ping(1)).rejects.toBeInstanceOf(BusError);
      await expect(h.ping(1)).rejects.toMatchObject({ code: 'ERR_BUS_CLOSED' });
    });
  });
}
