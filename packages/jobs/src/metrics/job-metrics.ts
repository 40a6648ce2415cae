import { batchedCounter, labelledHistogram } from '@interlink/core';
import { Gauge, type Registry } from 'prom-client';
import { JOB_STATES, type JobState } from '../backend/job-backend.js';
import type { BreakerState } from '../manager/circuit-breaker.js';

/** The job manager's series, registered on the registry it is given. */
export interface JobMetrics {
  /** The series of one job type, looked up once: the per-job calls then do no label work at all. */
  forType(queue: string, type: string): JobTypeMetrics;
}

/** Records the runs of one job type. */
export interface JobTypeMetrics {
  finished(outcome: 'completed' | 'failed' | 'deferred', seconds: number): void;
}

/** Options of {@link createJobMetrics}. */
export interface JobMetricsOptions {
  registry: Registry;
  /** The queues whose depth is reported. */
  queues: () => readonly string[];
  /** Counts per state, read when the registry is scraped. */
  countJobs: (queue: string) => Promise<Record<JobState, number>>;
  /** Jobs running in this process per queue, read at scrape time (no per-job gauge updates). */
  active: () => Iterable<readonly [queue: string, running: number]>;
  /** Each job type's breaker state, read at scrape time (a cooldown ends without any event). */
  breakers: () => Iterable<readonly [type: string, state: BreakerState]>;
  /** Prefix of every series name; `jobs_` by default. */
  prefix?: string;
}

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, open: 1, 'half-open': 2 };

/**
 * Registers `jobs_queue_depth{queue,state}` (read from the backend at scrape time, so it is the
 * shared depth on Redis), `jobs_active{queue}` (this process), `jobs_completed_total`,
 * `jobs_failed_total`, `jobs_deferred_total`, `jobs_duration_seconds` by queue and type, and
 * `jobs_breaker_state{type}` (0 closed, 1 open, 2 half-open).
 */
export function createJobMetrics(options: JobMetricsOptions): JobMetrics {
  const prefix = options.prefix ?? 'jobs_';
  const registers = [options.registry];
  new Gauge({
    name: `${prefix}queue_depth`,
    help: 'Jobs in each queue by state, as the backend reports them at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      await Promise.all(
        options.queues().map(async (queue) => {
          const counts = await options.countJobs(queue);
          for (const state of JOB_STATES) this.set({ queue, state }, counts[state]);
        }),
      );
    },
  });
  new Gauge({
    name: `${prefix}active`,
    help: 'Jobs running in this process',
    labelNames: ['queue'] as const,
    registers,
    collect() {
      for (const [queue, running] of options.active()) this.set({ queue }, running);
    },
  });
  // The per-job series are core's batched metrics (plain Map updates, flushed into prom-client at
  // scrape time) through per-label handles: prom-client's own inc/observe hash and validate the
  // labels on every call, even on a `labels()` child.
  const completed = batchedCounter({
    name: `${prefix}completed_total`,
    help: 'Job runs that completed',
    labelNames: ['queue', 'type'] as const,
    registry: options.registry,
  });
  const failed = batchedCounter({
    name: `${prefix}failed_total`,
    help: 'Job runs that failed (each failed attempt counts)',
    labelNames: ['queue', 'type'] as const,
    registry: options.registry,
  });
  const deferred = batchedCounter({
    name: `${prefix}deferred_total`,
    help: 'Job runs put back because their type circuit breaker was open',
    labelNames: ['queue', 'type'] as const,
    registry: options.registry,
  });
  const duration = labelledHistogram({
    name: `${prefix}duration_seconds`,
    help: 'Duration of job runs',
    labelNames: ['queue', 'type', 'outcome'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registry: options.registry,
  });
  new Gauge({
    name: `${prefix}breaker_state`,
    help: 'Circuit breaker state per job type: 0 closed, 1 open, 2 half-open',
    labelNames: ['type'] as const,
    registers,
    collect() {
      for (const [type, state] of options.breakers()) this.set({ type }, BREAKER_VALUE[state]);
    },
  });
  // Handles looked up once per queue and type: the hot path then pays no label joining or hashing.
  return {
    forType(queue, type) {
      const completedSeries = completed.series([queue, type]);
      const failedSeries = failed.series([queue, type]);
      const deferredSeries = deferred.series([queue, type]);
      const completedDuration = duration.series([queue, type, 'completed']);
      const failedDuration = duration.series([queue, type, 'failed']);
      return {
        finished(outcome, seconds) {
          if (outcome === 'deferred') deferredSeries.add();
          else if (outcome === 'completed') {
            completedSeries.add();
            completedDuration.observe(seconds);
          } else {
            failedSeries.add();
            failedDuration.observe(seconds);
          }
        },
      };
    },
  };
}
