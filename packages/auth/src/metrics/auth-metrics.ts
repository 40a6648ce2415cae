import { Counter, type Registry } from 'prom-client';

/** The auth package's metrics. */
export interface AuthMetrics {
  /** Credentials accepted only through a legacy switch, by scheme: what is left to migrate. */
  legacyAccepted: Counter<'scheme'>;
}

const LEGACY_ACCEPTED = 'interlink_auth_legacy_accepted_total';

/**
 * The auth metrics, registered in `registry` (a service's own, from core's `createMetrics`).
 * Several verifiers may share one registry: the counter is registered once and reused.
 */
export function createAuthMetrics(registry?: Registry): AuthMetrics {
  const existing = registry?.getSingleMetric(LEGACY_ACCEPTED) as Counter<'scheme'> | undefined;
  const legacyAccepted =
    existing ??
    new Counter({
      name: LEGACY_ACCEPTED,
      help: 'Credentials accepted through a legacy compatibility switch, by scheme',
      labelNames: ['scheme'] as const,
      registers: registry ? [registry] : [],
    });
  return { legacyAccepted };
}
