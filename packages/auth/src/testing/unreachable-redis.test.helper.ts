// Test support for the Redis-backed stores' fail-closed tests (see refusal-code.test.helper.ts on the name).
import { Redis } from 'ioredis';

/**
 * A client of a port nothing listens on that gives up at once: no offline queue, no retries, no
 * reconnects, its connection errors swallowed. A store built on it shows what it does when Redis
 * cannot be reached. Disconnect it at the end of the test.
 */
export function unreachableRedis(): Redis {
  const down = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  down.on('error', () => {});
  return down;
}
