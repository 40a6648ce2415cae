// The machine's brokers at their default local addresses; the usual variables point tests elsewhere
// (a CI service container, another port). One place, so every test and child process agrees.

/** NATS with JetStream: `NATS_URL`, default `nats://127.0.0.1:4222`. */
export const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Redis: `REDIS_URL`, default `redis://127.0.0.1:6379`. */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** RabbitMQ: `AMQP_URL`, default `amqp://guest:guest@127.0.0.1:5672` (the bus transport's default). */
export const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** PostgreSQL: `DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test` (trust auth). */
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
