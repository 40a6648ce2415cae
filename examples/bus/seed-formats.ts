// Needs RabbitMQ (AMQP_URL): type-checked only by the packaging test.
import { Registry } from 'prom-client';

const transport = await createRabbitTransport({
  url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
});
const registry = createSeedRegistry();
const metrics = createBusMetrics(new Registry()); // or the service's registry, for /metrics

// #region readme
import { binaryCodec, createBus, createBusMetrics, createRabbitTransport } from '@interlink/bus';
import { createSeedRegistry, SEED_002_ORDER_FORMAT } from '@interlink/bus/presets';

// A migrated publisher whose consumers are still seed code: it writes the seed's shape.
const orders = createBus({
  transport,
  registry,
  source: '/order-service',
  metrics,
  codec: SEED_002_ORDER_FORMAT,
});
// A migrated consumer whose publishers are still seed code: it also reads the seed's shape.
const billing = createBus({
  transport,
  registry,
  source: '/billing',
  metrics,
  legacyFormats: [SEED_002_ORDER_FORMAT],
});
// Everyone else: CloudEvents, structured (default) or binary mode. Consumers read both modes untold.
const fast = createBus({ transport, registry, source: '/x', codec: binaryCodec });
// #endregion readme

await Promise.all([orders.close(), billing.close(), fast.close()]);
