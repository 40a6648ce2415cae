import { Redis } from 'ioredis';
import { deleteNatsStreams } from '../nats/delete-nats-streams.js';
import { deleteKeysWithPrefix } from '../redis/delete-keys-with-prefix.js';
import { redisUrl } from './broker-urls.js';

/** What a gateway under test owns on the brokers: a Redis key prefix and its event streams. */
export interface GatewayState {
  redisPrefix: string;
  streams: readonly string[];
}

/**
 * Deletes what gateways on the test brokers left: the Redis keys under the prefix (rate limits,
 * stream tokens, connection counts) and each event stream with the dead-letter stream the bus's
 * NATS transport made beside it (`<stream>_DLQ`). For a test's afterAll, once the gateways are closed.
 */
export async function deleteGatewayState(state: GatewayState): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    await deleteKeysWithPrefix(redis, state.redisPrefix);
  } finally {
    redis.disconnect();
  }
  await deleteNatsStreams(state.streams.flatMap((stream) => [stream, `${stream}_DLQ`]));
}
