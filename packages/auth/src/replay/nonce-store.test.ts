import { randomBytes } from 'node:crypto';
import { openRedisScratch, redisUrl } from '@interlink/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { unreachableRedis } from '../testing/unreachable-redis.test.helper.js';
import { createMemoryNonceStore } from './memory-nonce-store.js';
import type { NonceStore } from './nonce-store.js';
import { createRedisNonceStore } from './redis-nonce-store.js';

const scratch = openRedisScratch('auth-test-nonce-');
const { redis, prefix } = scratch;

afterAll(() => scratch.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// One conformance suite, run against every implementation.
describe.each<[string, () => NonceStore]>([
  ['memory', () => createMemoryNonceStore()],
  ['redis', () => createRedisNonceStore({ redis, prefix, timeoutMs: 10_000 })],
])('NonceStore conformance: %s', (_name, make) => {
  it('accepts a key once, then refuses it', async () => {
    const store = make();
    const key = randomBytes(8).toString('hex');
    expect(await store.claim(key, 10_000)).toBe(true);
    expect(await store.claim(key, 10_000)).toBe(false);
    expect(await store.claim(`${key}-other`, 10_000)).toBe(true);
  });

  it('of concurrent claims of one key, exactly one wins', async () => {
    const store = make();
    const key = randomBytes(8).toString('hex');
    const results = await Promise.all(Array.from({ length: 50 }, () => store.claim(key, 10_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('answers each of many claims made in one turn, repeats and new keys mixed', async () => {
    const store = make();
    const [a, b, c] = [0, 1, 2].map(() => randomBytes(8).toString('hex'));
    const keys = [a, b, a, c, b, a] as string[];
    expect(await Promise.all(keys.map((k) => store.claim(k, 10_000)))).toEqual([
      true,
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(await store.claim(c!, 10_000)).toBe(false);
  });

  it('forgets a key after its ttl', async () => {
    const store = make();
    const key = randomBytes(8).toString('hex');
    expect(await store.claim(key, 30)).toBe(true);
    await sleep(80);
    expect(await store.claim(key, 30)).toBe(true);
  });
});

/** One script call as the store sent it: how many claims, and how many calls were out already. */
interface ScriptCall {
  claims: number;
  inFlight: number;
}

/**
 * A connection of its own, already connected, that records the name of every command it sends next
 * and, for each script call, its claim count and how many script calls were still unanswered then.
 */
async function recordingConnection(): Promise<{ redis: Redis; sent: string[]; calls: ScriptCall[] }> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await redis.ping();
  const sent: string[] = [];
  const calls: ScriptCall[] = [];
  let inFlight = 0;
  const sendCommand = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command, stream) => {
    sent.push(command.name);
    const reply = sendCommand(command, stream);
    if (command.name !== 'evalsha') return reply;
    calls.push({ claims: Number(command.args[1]), inFlight });
    inFlight++;
    return (reply as Promise<unknown>).finally(() => inFlight--);
  }) as typeof redis.sendCommand;
  return { redis, sent, calls };
}

/**
 * A recording connection whose script call answers `reply` (as a proxy in the way might), throws
 * before sending when `reply` is an Error, or rejects with `reply.rejection`, until `repair()`;
 * every other command goes to Redis.
 */
async function misbehaving(reply: unknown) {
  const recording = await recordingConnection();
  const { redis: connection } = recording;
  const sendCommand = connection.sendCommand.bind(connection);
  let broken = true;
  connection.sendCommand = ((command, stream) => {
    if (!broken || command.name !== 'evalsha') return sendCommand(command, stream);
    if (reply instanceof Error) throw reply;
    if (typeof reply === 'object' && reply !== null && 'rejection' in reply) {
      return Promise.reject(reply.rejection);
    }
    return Promise.resolve(reply);
  }) as typeof connection.sendCommand;
  return { connection, sent: recording.sent, repair: () => (broken = false) };
}

const freshKeys = (n: number) => Array.from({ length: n }, () => randomBytes(8).toString('hex'));

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** What `promise` settled to within two event-loop turns (`'pending'` if it did not). */
async function outcomeSoon(promise: Promise<unknown>): Promise<unknown> {
  let outcome: unknown = 'pending';
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  await nextTurn();
  await nextTurn();
  return outcome;
}

describe('createRedisNonceStore', () => {
  it('writes under its prefix with a PX expiry', async () => {
    const store = createRedisNonceStore({ redis, prefix, timeoutMs: 10_000 });
    await store.claim('ttl-check', 60_000);
    const ttl = await redis.pttl(`${prefix}ttl-check`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('sends the claims made in one turn as one command, not one SET each', async () => {
    const { redis: counted, sent } = await recordingConnection();
    const store = createRedisNonceStore({ redis: counted, prefix, timeoutMs: 10_000 });
    const keys = Array.from({ length: 20 }, () => randomBytes(8).toString('hex'));
    const first = await Promise.all(keys.map((k) => store.claim(k, 10_000)));
    const again = await Promise.all(keys.map((k) => store.claim(k, 10_000)));
    counted.disconnect();
    expect(first.every(Boolean)).toBe(true);
    expect(again.some(Boolean)).toBe(false);
    // One EVALSHA per turn (and one EVAL the first time Redis has not cached the script).
    expect(sent.filter((name) => name === 'evalsha')).toHaveLength(2);
    expect(sent.filter((name) => name === 'set')).toHaveLength(0);
  });

  it('several batches in flight: each nonce claimed twice, by two replicas, wins exactly once', async () => {
    // 1,300 keys claimed twice in one turn by each of two stores: batches fill at 512 claims and
    // leave at once, even behind the one in flight, so each store has several calls out together.
    const other = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const a = createRedisNonceStore({ redis, prefix, timeoutMs: 10_000 });
    const b = createRedisNonceStore({ redis: other, prefix, timeoutMs: 10_000 });
    const keys = Array.from({ length: 1300 }, () => randomBytes(8).toString('hex'));
    const claims = [...keys, ...keys].flatMap((k) => [a.claim(k, 10_000), b.claim(k, 10_000)]);
    const results = await Promise.all(claims);
    await other.quit();
    const wins = new Map<string, number>();
    results.forEach((fresh, i) => {
      const key = keys[Math.floor(i / 2) % keys.length]!;
      if (fresh) wins.set(key, (wins.get(key) ?? 0) + 1);
    });
    expect(wins.size).toBe(keys.length);
    expect([...wins.values()].every((n) => n === 1)).toBe(true);
  });

  it('a batch Redis does not answer in time is refused (fail closed) and does not hold the next back', async () => {
    // A real Redis connection blocked by our own BLPOP: Redis runs a client's commands in order,
    // so the script call waits behind it, as behind a Redis that stopped answering.
    const { redis: blocked, sent } = await recordingConnection();
    void blocked.blpop(`${prefix}never-pushed:${randomBytes(4).toString('hex')}`, 0).catch(() => {});
    const store = createRedisNonceStore({ redis: blocked, prefix, timeoutMs: 200 });
    const key = randomBytes(8).toString('hex');
    await expect(store.claim(key, 10_000)).rejects.toMatchObject({
      code: 'ERR_NONCE_STORE_UNAVAILABLE',
      cause: { message: 'redis timeout' },
    });
    // The next claim goes out in a call of its own (not stuck behind the first) and is refused too.
    await expect(store.claim(`${key}-next`, 10_000)).rejects.toMatchObject({
      code: 'ERR_NONCE_STORE_UNAVAILABLE',
    });
    expect(sent.filter((name) => name === 'evalsha')).toHaveLength(2);
    blocked.disconnect();
    // Neither claim reached Redis: the key is still free for the store that answers.
    const fresh = createRedisNonceStore({ redis, prefix, timeoutMs: 10_000 });
    expect(await fresh.claim(key, 10_000)).toBe(true);
  });

  it('claims on after Redis loses its script cache (SCRIPT FLUSH): EVAL sends the script again', async () => {
    const { redis: counted, sent } = await recordingConnection();
    const store = createRedisNonceStore({ redis: counted, prefix, timeoutMs: 10_000 });
    const key = randomBytes(8).toString('hex');
    expect(await store.claim(key, 10_000)).toBe(true);
    // As after a Redis restart. Other clients' scripts are cached again the same way (ioredis
    // falls back to EVAL on NOSCRIPT for its defined commands too).
    await redis.script('FLUSH');
    expect(await store.claim(`${key}-after`, 10_000)).toBe(true);
    expect(await store.claim(key, 10_000)).toBe(false);
    expect(await store.claim(`${key}-after`, 10_000)).toBe(false);
    counted.disconnect();
    expect(sent.filter((name) => name === 'eval').length).toBeGreaterThanOrEqual(1);
  });

  describe('with a batch queued behind one Redis does not answer', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('both time out and are refused, the queued one never sent, and the store goes on sending', async () => {
      const { redis: blocked, sent } = await recordingConnection();
      void blocked.blpop(`${prefix}never-pushed:${randomBytes(4).toString('hex')}`, 0).catch(() => {});
      // Only the store's timeouts are faked: its batches still leave on real setImmediate turns.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const store = createRedisNonceStore({ redis: blocked, prefix, timeoutMs: 200 });
      const first = store.claim('first', 10_000);
      await nextTurn();
      // One call is in flight, so this claim waits in the next batch.
      const queued = store.claim('queued', 10_000);
      const outcomes = Promise.allSettled([first, queued]);
      // Both timers fire in one go: the queued batch times out before it was ever sent.
      vi.advanceTimersByTime(200);
      const [a, b] = await outcomes;
      expect(a).toMatchObject({ status: 'rejected', reason: { code: 'ERR_NONCE_STORE_UNAVAILABLE' } });
      expect(b).toMatchObject({ status: 'rejected', reason: { code: 'ERR_NONCE_STORE_UNAVAILABLE' } });
      await nextTurn();
      expect(sent.filter((name) => name === 'evalsha')).toHaveLength(1);
      // The timed-out call no longer counts as in flight: the next claim goes out at once.
      const next = store.claim('next', 10_000);
      await nextTurn();
      expect(sent.filter((name) => name === 'evalsha')).toHaveLength(2);
      vi.advanceTimersByTime(200);
      await expect(next).rejects.toMatchObject({ code: 'ERR_NONCE_STORE_UNAVAILABLE' });
      blocked.disconnect();
    });

    it('a batch queued later than the one that timed out is sent then, not dropped with it', async () => {
      const { redis: blocked, sent } = await recordingConnection();
      void blocked.blpop(`${prefix}never-pushed:${randomBytes(4).toString('hex')}`, 0).catch(() => {});
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const store = createRedisNonceStore({ redis: blocked, prefix, timeoutMs: 200 });
      const first = store.claim('first', 10_000).catch((error: unknown) => error);
      await nextTurn();
      vi.advanceTimersByTime(100);
      const queued = store.claim('queued', 10_000).catch((error: unknown) => error);
      vi.advanceTimersByTime(100); // the first times out; the queued one has 100 ms left
      expect(await first).toMatchObject({ code: 'ERR_NONCE_STORE_UNAVAILABLE' });
      await nextTurn();
      expect(sent.filter((name) => name === 'evalsha')).toHaveLength(2);
      vi.advanceTimersByTime(100);
      expect(await queued).toMatchObject({ code: 'ERR_NONCE_STORE_UNAVAILABLE' });
      blocked.disconnect();
    });
  });

  it('fails closed on a reply that does not answer each claim, or a client that throws, and goes on', async () => {
    for (const reply of ['1', '111', 11, new Error('client bug')]) {
      const { connection, repair } = await misbehaving(reply);
      const store = createRedisNonceStore({ redis: connection, prefix, timeoutMs: 10_000 });
      const keys = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
      const refused = await Promise.allSettled(keys.map((k) => store.claim(k, 10_000)));
      expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(refused[0]).toMatchObject({
        reason: {
          code: 'ERR_NONCE_STORE_UNAVAILABLE',
          message: 'nonce store unavailable',
          cause: {
            message: reply instanceof Error ? 'client bug' : 'unexpected reply from the nonce script',
          },
        },
      });
      // The refused call no longer counts as in flight: the next claims go out and are answered.
      repair();
      expect(await Promise.all(keys.map((k) => store.claim(k, 10_000)))).toEqual([true, true]);
      connection.disconnect();
    }
  });

  describe('scheduling, counted on a real Redis held up by our own BLPOP', () => {
    /** A recording connection whose script is cached, with a store on it and nothing recorded yet. */
    const slowStore = async () => {
      const recording = await recordingConnection();
      const store = createRedisNonceStore({ redis: recording.redis, prefix, timeoutMs: 10_000 });
      await store.claim(freshKeys(1)[0]!, 10_000);
      recording.calls.length = 0;
      /** Holds the connection's next commands until `open()`: Redis runs a client's commands in order. */
      const hold = () => {
        const gate = `${prefix}gate:${randomBytes(4).toString('hex')}`;
        void recording.redis.blpop(gate, 0).catch(() => {});
        return { open: () => redis.lpush(gate, 'go') };
      };
      return { ...recording, store, hold };
    };

    it('keeps one script call in flight: claims made meanwhile wait, then leave together in one call', async () => {
      const { redis: slow, calls, store, hold } = await slowStore();
      const gate = hold();
      const [k1, k2, k3, k4] = freshKeys(4) as [string, string, string, string];
      const first = store.claim(k1, 10_000);
      await nextTurn();
      const later = [store.claim(k2, 10_000), store.claim(k3, 10_000)];
      await nextTurn();
      later.push(store.claim(k4, 10_000));
      await nextTurn();
      expect(calls).toEqual([{ claims: 1, inFlight: 0 }]);
      await gate.open();
      expect(await Promise.all([first, ...later])).toEqual([true, true, true, true]);
      expect(calls).toEqual([
        { claims: 1, inFlight: 0 },
        { claims: 3, inFlight: 0 },
      ]);
      slow.disconnect();
    });

    it('a batch of 512 claims leaves at once, even behind calls in flight; the rest waits until none is', async () => {
      const { redis: slow, calls, store, hold } = await slowStore();
      const firstGate = hold();
      const first = store.claim(freshKeys(1)[0]!, 10_000);
      await nextTurn();
      // Queued on the connection behind the first call: the full batches wait behind it too.
      const secondGate = hold();
      const many = freshKeys(800).map((k) => store.claim(k, 10_000));
      await nextTurn();
      many.push(store.claim(freshKeys(1)[0]!, 10_000));
      await nextTurn();
      expect(calls).toEqual([
        { claims: 1, inFlight: 0 },
        { claims: 512, inFlight: 1 },
      ]);
      await firstGate.open();
      expect(await first).toBe(true);
      await nextTurn();
      // The full batch is still out: the waiting claims stay waiting.
      expect(calls).toHaveLength(2);
      await secondGate.open();
      expect((await Promise.all(many)).every(Boolean)).toBe(true);
      expect(calls[2]).toEqual({ claims: 289, inFlight: 0 });
      expect(calls).toHaveLength(3);
      slow.disconnect();
    });
  });

  describe('with its timeout out of the way (fake setTimeout)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('a rejected script call refuses its claims at once, and a Redis error is not retried as EVAL', async () => {
      // A rejection that is not NOSCRIPT, and one that is not even an Error.
      for (const rejection of [new Error("READONLY You can't write against a read only replica."), 'down']) {
        const { connection, sent } = await misbehaving({ rejection });
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
        const store = createRedisNonceStore({ redis: connection, prefix, timeoutMs: 10_000 });
        const key = randomBytes(8).toString('hex');
        const outcome = (await outcomeSoon(store.claim(key, 10_000))) as { error: { cause: unknown } };
        expect(outcome).toMatchObject({ error: { code: 'ERR_NONCE_STORE_UNAVAILABLE' } });
        expect(outcome.error.cause).toBe(rejection);
        expect(sent).not.toContain('eval');
        vi.useRealTimers();
        connection.disconnect();
        // Nothing reached Redis: the key is still free.
        expect(await createRedisNonceStore({ redis, prefix }).claim(key, 10_000)).toBe(true);
      }
    });

    it('a reply that is not a string is refused, whatever the number of claims it answers', async () => {
      for (const reply of [11, ['1', '1'], Buffer.from('11')]) {
        const { connection } = await misbehaving(reply);
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
        const store = createRedisNonceStore({ redis: connection, prefix, timeoutMs: 10_000 });
        for (let claims = 1; claims <= 24; claims++) {
          const batch = Promise.all(freshKeys(claims).map((k) => store.claim(k, 10_000)));
          expect(await outcomeSoon(batch)).toMatchObject({
            error: { cause: { message: 'unexpected reply from the nonce script' } },
          });
        }
        vi.useRealTimers();
        connection.disconnect();
      }
    });
  });

  it('writes under interlink:nonce: unless given another prefix', async () => {
    const key = `auth-test-${randomBytes(8).toString('hex')}`;
    expect(await createRedisNonceStore({ redis }).claim(key, 10_000)).toBe(true);
    const written = await redis.del(`interlink:nonce:${key}`);
    expect(written).toBe(1);
  });

  it('refuses (ERR_NONCE_STORE_UNAVAILABLE) when Redis cannot be reached, never accepts', async () => {
    const down = unreachableRedis();
    const store = createRedisNonceStore({ redis: down, prefix, timeoutMs: 500 });
    await expect(store.claim('x', 1000)).rejects.toMatchObject({ code: 'ERR_NONCE_STORE_UNAVAILABLE' });
    down.disconnect();
  });
});

describe('createMemoryNonceStore', () => {
  it('is bounded: when full of live nonces it refuses rather than evicting one', async () => {
    let now = 1_000;
    const store = createMemoryNonceStore({ maxEntries: 3, now: () => now });
    for (const k of ['a', 'b', 'c']) expect(await store.claim(k, 10_000)).toBe(true);
    await expect(store.claim('d', 10_000)).rejects.toMatchObject({ code: 'ERR_NONCE_STORE_FULL' });
    expect(await store.claim('a', 10_000)).toBe(false);
    now += 10_001;
    expect(await store.claim('d', 10_000)).toBe(true);
    expect(store.size).toBeLessThanOrEqual(3);
  });
});
