import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Transport } from '../transport/transport.js';

/** The bus's Prometheus series, registered on a registry the service owns. */
export interface BusMetrics {
  published: Counter<'transport' | 'type'>;
  consumed: Counter<'transport' | 'group' | 'outcome'>;
  redelivered: Counter<'transport' | 'group'>;
  deadLettered: Counter<'transport' | 'group'>;
  handlerDuration: Histogram<'transport' | 'group' | 'outcome'>;
  /**
   * Events read or written in a seed's wire format, by direction (`read`, `write`), format
   * (`seed-002`, ...), type and service: what is left to migrate before a format is turned off.
   */
  legacy: Counter<'direction' | 'format' | 'type' | 'service'>;
  /** Consumed messages refused before their handler (unreadable, invalid, too large), by code. */
  rejected: Counter<'transport' | 'group' | 'code'>;
}

/** Creates the bus metrics on `registry` (from core's `createMetrics`), never on the global one. */
export function createBusMetrics(registry: Registry): BusMetrics {
  const registers = [registry];
  // Every series keeps its full name here, so a grep for a scraped name finds it.
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  return {
    published: counter(
      'interlink_bus_published_total',
      'Events confirmed by the broker, by transport and type',
      ['transport', 'type'],
    ),
    consumed: counter(
      'interlink_bus_consumed_total',
      'Deliveries handled, by transport, consumer group and outcome (ok or error)',
      ['transport', 'group', 'outcome'],
    ),
    redelivered: counter(
      'interlink_bus_redelivered_total',
      'Deliveries that were redeliveries (attempt > 1)',
      ['transport', 'group'],
    ),
    deadLettered: counter(
      'interlink_bus_dead_lettered_total',
      'Messages sent to dead letters after their delivery limit or a permanent failure',
      ['transport', 'group'],
    ),
    legacy: counter(
      'interlink_bus_legacy_total',
      'Events read or written in a seed wire format, by direction, format, type and service',
      ['direction', 'format', 'type', 'service'],
    ),
    rejected: counter(
      'interlink_bus_rejected_total',
      'Consumed messages dead-lettered before their handler ran (unreadable, invalid, too large), by code',
      ['transport', 'group', 'code'],
    ),
    handlerDuration: new Histogram({
      name: 'interlink_bus_handler_duration_seconds',
      help: 'Time spent in event handlers',
      labelNames: ['transport', 'group', 'outcome'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    }),
  };
}

/**
 * `interlink_bus_consumer_lag{transport,group}`: the broker's backlog for each group, read from
 * `transport.pending()` when the registry is scraped (nothing is polled between scrapes).
 */
export function observeConsumerLag(
  registry: Registry,
  transport: Transport,
  groups: readonly string[],
): Gauge {
  return new Gauge({
    name: 'interlink_bus_consumer_lag',
    help: 'Messages waiting for a consumer group that no consumer has taken yet, as the broker reports it',
    labelNames: ['transport', 'group'] as const,
    registers: [registry],
    async collect() {
      for (const group of groups) {
        const pending = await transport.pending(group).catch(() => undefined);
        if (pending !== undefined) this.set({ transport: transport.name, group }, pending);
      }
    },
  });
}
