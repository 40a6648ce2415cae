import { SEED_RABBIT_TOPOLOGY } from '../presets/seed-rabbit-topology.js';

/** Exchange and queue names of a RabbitMQ deployment. */
export interface RabbitTopology {
  /** The topic exchange every event is published to. */
  exchange: string;
  /** The direct exchange dead letters go through, routed by queue name. */
  deadLetterExchange: string;
  /** Appended to every queue name (empty in production; a random suffix in tests). */
  queueSuffix: string;
  /** Consumer groups (queues) declared and bound at connect, before anyone subscribes. */
  queues: ReadonlyArray<{ group: string; patterns: readonly string[] }>;
}

/**
 * `base` (the seed topology by default) with `_<suffix>` on every name, so tests and tenants can
 * share a broker.
 */
export function isolatedRabbitTopology(
  suffix: string,
  base: RabbitTopology = SEED_RABBIT_TOPOLOGY,
): RabbitTopology {
  return {
    ...base,
    exchange: `${base.exchange}_${suffix}`,
    deadLetterExchange: `${base.deadLetterExchange}_${suffix}`,
    queueSuffix: `_${suffix}`,
  };
}

/** The queue of a consumer group. */
export function queueName(topology: RabbitTopology, group: string): string {
  return `${group}${topology.queueSuffix}`;
}

/** The dead-letter queue of a group: `order_service_queue` -> `order_service_dlq`, else `<group>_dlq`. */
export function deadLetterQueueName(topology: RabbitTopology, group: string): string {
  const base = group.endsWith('_queue') ? `${group.slice(0, -'_queue'.length)}_dlq` : `${group}_dlq`;
  return `${base}${topology.queueSuffix}`;
}
