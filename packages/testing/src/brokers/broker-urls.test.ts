import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('broker URLs', () => {
  it("default to the machine's brokers, with one AMQP default carrying RabbitMQ's guest login", async () => {
    for (const name of ['NATS_URL', 'REDIS_URL', 'AMQP_URL', 'DATABASE_URL']) vi.stubEnv(name, undefined);
    expect({ ...(await import('./broker-urls.js')) }).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
      redisUrl: 'redis://127.0.0.1:6379',
      amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
    });
  });

  it('follow NATS_URL, REDIS_URL, AMQP_URL and DATABASE_URL', async () => {
    vi.stubEnv('NATS_URL', 'nats://ci-nats:4222');
    vi.stubEnv('REDIS_URL', 'redis://ci-redis:6379');
    vi.stubEnv('AMQP_URL', 'amqp://ci:ci@ci-rabbit:5672');
    vi.stubEnv('DATABASE_URL', 'postgres://ci@ci-pg:5432/ci');
    expect({ ...(await import('./broker-urls.js')) }).toEqual({
      natsUrl: 'nats://ci-nats:4222',
      redisUrl: 'redis://ci-redis:6379',
      amqpUrl: 'amqp://ci:ci@ci-rabbit:5672',
      databaseUrl: 'postgres://ci@ci-pg:5432/ci',
    });
  });
});
