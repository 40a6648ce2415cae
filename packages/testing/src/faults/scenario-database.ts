import pg from 'pg';
import { databaseUrl } from '../brokers/broker-urls.js';
import type { OutboxRestartScenario } from './outbox-restart-scenario.js';

/** The PostgreSQL side of one outbox restart scenario: its schema, its three pools, their clean-up. */
export interface ScenarioDatabase {
  schema: string;
  pools: OutboxRestartScenario['pools'];
  /** Drops the schema and ends the pools; for the test's `afterAll`, whatever happened. */
  dispose(): Promise<void>;
}

/** A fresh `bus_fault_<name>` schema and pools named after it (visible in `pg_stat_activity`). */
export function createScenarioDatabase(name: string): ScenarioDatabase {
  const schema = `bus_fault_${name}`;
  const pool = (max: number): pg.Pool => {
    const p = new pg.Pool({ connectionString: databaseUrl, max, application_name: schema });
    // An idle client's error (a server-side timeout) must not crash the run; queries still reject.
    p.on('error', () => {});
    return p;
  };
  const pools = { loop: pool(4), relay: pool(4), consumer: pool(16) };
  return {
    schema,
    pools,
    async dispose() {
      await pools.loop.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
      await Promise.allSettled(Object.values(pools).map((p) => p.end()));
    },
  };
}
