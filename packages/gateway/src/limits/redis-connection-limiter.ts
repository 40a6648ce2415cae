import type { Redis } from 'ioredis';
import type { ConnectionLease, ConnectionLimiter, ConnectionLimits } from './connection-limiter.js';

export interface RedisConnectionLimiterOptions extends ConnectionLimits {
  redis: Redis;
  /** Key prefix; tests use a unique one. */
  prefix?: string;
  /** How long a lease lives without a refresh; the gateway refreshes on every heartbeat. */
  leaseMs?: number;
}

// Check and take both leases atomically, so two instances racing for a user's last slot cannot
// both win. Members are scored by expiry; expired ones (from a crashed instance) are dropped first.
const ACQUIRE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[2], ARGV[2])
return 0`;

/** Connection limits that hold across every gateway instance sharing the Redis. */
export function createRedisConnectionLimiter(options: RedisConnectionLimiterOptions): ConnectionLimiter {
  const { redis } = options;
  const prefix = options.prefix ?? 'interlink:gateway:';
  const leaseMs = options.leaseMs ?? 60_000;
  const userKey = (lease: ConnectionLease) => `${prefix}conn:u:{${lease.tenantId}}:${lease.userId}`;
  const tenantKey = (lease: ConnectionLease) => `${prefix}conn:t:{${lease.tenantId}}`;
  return {
    async acquire(lease) {
      const now = Date.now();
      const result = await redis.eval(
        ACQUIRE,
        2,
        userKey(lease),
        tenantKey(lease),
        now,
        now + leaseMs,
        lease.connectionId,
        options.perUser,
        options.perTenant,
      );
      if (result === 1) return { ok: false, limit: 'user' };
      if (result === 2) return { ok: false, limit: 'tenant' };
      return { ok: true };
    },
    async release(lease) {
      await redis
        .multi()
        .zrem(userKey(lease), lease.connectionId)
        .zrem(tenantKey(lease), lease.connectionId)
        .exec();
    },
    async refresh(leases) {
      if (leases.length === 0) return;
      const expiry = Date.now() + leaseMs;
      const pipeline = redis.pipeline();
      for (const lease of leases) {
        pipeline.zadd(userKey(lease), 'XX', expiry, lease.connectionId);
        pipeline.zadd(tenantKey(lease), 'XX', expiry, lease.connectionId);
        pipeline.pexpireat(userKey(lease), expiry);
        pipeline.pexpireat(tenantKey(lease), expiry);
      }
      await pipeline.exec();
    },
    async close() {},
  };
}
