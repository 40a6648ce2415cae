/**
 * `@interlink/bus/presets`: the seed platform's own event types and RabbitMQ topology (seed
 * presets), apart from the bus's general code, ready to move to `packages/contracts`.
 */
export { SEED_000_ANALYTICS_FORMAT } from './codecs/seed-000-codec.js';
export { SEED_002_ORDER_FORMAT } from './codecs/seed-002-codec.js';
export { SEED_003_NATS_FORMAT } from './codecs/seed-003-codec.js';
export {
  EmailMessage,
  messageEventDefinitions,
  PushMessage,
  registerMessageEvents,
  SlackMessage,
  SmsMessage,
} from './presets/seed-message-events.js';
export {
  OrderCancelled,
  OrderConfirmed,
  type OrderCreated,
  OrderCreatedV1,
  OrderCreatedV2,
  OrderExpired,
  OrderFailed,
  OrderRefunded,
  OrderReserved,
  orderEventDefinitions,
  registerOrderEvents,
} from './presets/seed-order-events.js';
export { SEED_RABBIT_TOPOLOGY } from './presets/seed-rabbit-topology.js';
export { createSeedRegistry } from './presets/seed-registry.js';
