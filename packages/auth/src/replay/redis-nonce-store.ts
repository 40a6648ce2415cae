import { createHash } from 'node:crypto';
import { Command, type Redis } from 'ioredis';
import { AuthError } from '../errors/auth-error.js';
import type { NonceStore } from './nonce-store.js';

export interface RedisNonceStoreOptions {
  /** A connected ioredis client (the caller owns and closes it). */
  redis: Redis;
  /** Prefix of every key, e.g. `interlink:nonce:`; isolates deployments and tests. */
  prefix?: string;
  /** How long to wait for Redis before refusing the request; 1,000 ms by default. */
  timeoutMs?: number;
}

/**
 * `SET key 1 PX ttl NX` for each key, in order, answered as one string of `1` (set) and `0`
 * (already there). A script runs atomically and each SET NX is atomic on its own, so two claims of
 * one key, in one batch or from two replicas, get exactly one `1`.
 */
const CLAIM_SCRIPT = `local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('SET', KEYS[i], '1', 'PX', ARGV[i], 'NX') and '1' or '0'
end
return table.concat(out)`;
const CLAIM_SCRIPT_SHA = createHash('sha1').update(CLAIM_SCRIPT).digest('hex');

/** Claims in one script call at most: a batch that fills up is sent at once, even behind another. */
const MAX_BATCH = 512;

/**
 * Script calls in flight before the next batch waits for one to be answered. Under the Fastify
 * bench (20 connections) a batch held about 10 claims with 1, 2 or no limit alike: each event-loop
 * turn reads about half the connections' requests while the previous turn's call is answered, so
 * a call already leaves every turn and more in flight neither raised requests/s nor lowered CPU.
 * One keeps that and, when Redis answers slowly, merges the waiting claims into one larger call
 * rather than stacking small ones on a busy Redis.
 */
const MAX_IN_FLIGHT = 1;

/** Claims waiting for one script call. */
interface Batch {
  /** Script arguments: the keys, then their ttls. */
  keys: string[];
  ttls: string[];
  waiters: { resolve(fresh: boolean): void; reject(error: AuthError): void }[];
  timer: ReturnType<typeof setTimeout> | undefined;
  settled: boolean;
  /**
   * Releases the next batch when this one is answered or timed out: a no-op until the batch is
   * sent, and again once called. Never undefined, so the timer of a batch that times out while
   * still queued has nothing to trip over (a throw there would end the process).
   */
  finished: () => void;
}

const nothingToRelease = () => {};

/**
 * A {@link NonceStore} shared by every replica: `SET key 1 PX ttl NX` is atomic in Redis, so a
 * nonce is accepted once cluster-wide. A Redis failure refuses the request (fail closed).
 *
 * Claims go to Redis in batches, as one script call each (one command, one write, one reply),
 * rather than one `SET` each: per request, the command objects, socket write and reply parsing of
 * one `SET` cost about as much CPU as verifying the signature. A batch is sent at the end of the
 * event-loop turn, or when the batch before it is answered. One script call takes keys of any
 * slot, so this store needs a single Redis (or a primary with replicas), not a Cluster.
 */
export function createRedisNonceStore(options: RedisNonceStoreOptions): NonceStore {
  const prefix = options.prefix ?? 'interlink:nonce:';
  const { redis } = options;
  const timeoutMs = options.timeoutMs ?? 1000;
  const unavailable = (cause: unknown) =>
    new AuthError('ERR_NONCE_STORE_UNAVAILABLE', 'nonce store unavailable', { cause });

  // Claims wait in `filling` while a batch is in flight, so under load one script call carries
  // every claim made during a round trip (not only those of one turn) and Redis, which shares the
  // machine's cores, answers fewer and larger calls; an idle store sends at the end of the turn.
  let filling: Batch | undefined;
  let inFlight = 0;
  let scheduled = false;

  // What `redis.evalsha(...)` does, minus auto-pipelining: the batch already is one command, and
  // an auto-pipeline around it cost about 1 us per claim. Offline queue, key prefix, timeouts and
  // tracing are the client's own, in `sendCommand`.
  const send = (name: string, args: (string | number)[]) =>
    redis.sendCommand(
      new Command(name, args, { replyEncoding: 'utf8', keyPrefix: redis.options.keyPrefix }),
    ) as Promise<unknown>;

  const settle = (batch: Batch, outcome: { answers: string } | { error: unknown }) => {
    if (batch.settled) return;
    batch.settled = true;
    clearTimeout(batch.timer);
    if ('error' in outcome) {
      const refusal = unavailable(outcome.error);
      for (const waiter of batch.waiters) waiter.reject(refusal);
    } else {
      const { answers } = outcome;
      for (let i = 0; i < batch.waiters.length; i++)
        batch.waiters[i]!.resolve(answers.charCodeAt(i) === 0x31);
    }
  };

  const timedOut = (batch: Batch) => {
    if (filling === batch) filling = undefined;
    settle(batch, { error: new Error('redis timeout') });
    // A batch that timed out no longer holds the next one back.
    batch.finished();
  };

  const sendFilling = () => {
    scheduled = false;
    const batch = filling;
    if (!batch) return;
    filling = undefined;
    const count = batch.keys.length;
    const args: (string | number)[] = [CLAIM_SCRIPT_SHA, count, ...batch.keys, ...batch.ttls];
    inFlight++;
    batch.finished = () => {
      batch.finished = nothingToRelease;
      inFlight--;
      if (inFlight < MAX_IN_FLIGHT && filling && !scheduled) {
        scheduled = true;
        setImmediate(sendFilling);
      }
    };
    const answered = (value: unknown) => {
      const answers = typeof value === 'string' ? value : '';
      if (answers.length === count) settle(batch, { answers });
      else settle(batch, { error: new Error('unexpected reply from the nonce script') });
      batch.finished();
    };
    const failed = (error: unknown) => {
      settle(batch, { error });
      batch.finished();
    };
    try {
      // One `then` on the reply, its rejection handler the NOSCRIPT fallback: a `catch` in front of
      // it cost one promise more per script call.
      send('evalsha', args).then(answered, (error: unknown) => {
        // Redis lost its script cache (restart, SCRIPT FLUSH): EVAL sends the text and caches it.
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) return failed(error);
        args[0] = CLAIM_SCRIPT;
        try {
          send('eval', args).then(answered, failed);
        } catch (sendError) {
          failed(sendError);
        }
      });
    } catch (error) {
      failed(error);
    }
  };

  return {
    claim(key, ttlMs) {
      const ttl = String(Math.max(1, Math.ceil(ttlMs)));
      return new Promise<boolean>((resolve, reject) => {
        let batch = filling;
        if (!batch) {
          const created: Batch = {
            keys: [],
            ttls: [],
            waiters: [],
            timer: undefined,
            settled: false,
            finished: nothingToRelease,
          };
          // ioredis queues commands while reconnecting; a bounded wait, counted from the first
          // claim of the batch (waiting to be sent included), keeps a Redis outage from turning
          // into hung requests.
          created.timer = setTimeout(() => timedOut(created), timeoutMs);
          filling = batch = created;
        }
        batch.keys.push(`${prefix}${key}`);
        batch.ttls.push(ttl);
        batch.waiters.push({ resolve, reject });
        if (batch.keys.length >= MAX_BATCH) sendFilling();
        else if (inFlight < MAX_IN_FLIGHT && !scheduled) {
          scheduled = true;
          // After this turn's I/O callbacks: every request read in it joins the batch.
          setImmediate(sendFilling);
        }
      });
    },
  };
}
