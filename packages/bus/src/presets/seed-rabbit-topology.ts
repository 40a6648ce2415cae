import type { RabbitTopology } from '../rabbitmq/rabbit-topology.js';

/**
 * Seed preset: the seeds' topology, the RabbitMQ transport's default until it moves to
 * `packages/contracts`: topic exchange `tickettoken_events`; `analytics_events` bound to `#`
 * (seed 000); `order_service_queue` bound to `order.*`, `payment.*`, `dispute.*`, dead-lettered
 * through `tickettoken_events_dlx` to `order_service_dlq` (seed 002).
 */
export const SEED_RABBIT_TOPOLOGY: RabbitTopology = {
  exchange: 'tickettoken_events',
  deadLetterExchange: 'tickettoken_events_dlx',
  queueSuffix: '',
  queues: [
    { group: 'analytics_events', patterns: ['#'] },
    { group: 'order_service_queue', patterns: ['order.*', 'payment.*', 'dispute.*'] },
  ],
};
