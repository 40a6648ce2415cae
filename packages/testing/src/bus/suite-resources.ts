import type { Transport } from '@interlink/bus';
import { afterAll, afterEach } from 'vitest';

/** What a bus conformance suite opens in its tests: closed after each one, so a failure leaks nothing. */
export interface SuiteResources<Sub extends { close(): Promise<void> }> {
  transports: Transport[];
  subscriptions: Sub[];
}

/**
 * Registers a conformance suite's clean-up: after each test its subscriptions, then its transports,
 * are closed (a failing close does not hide the others); after all, the target's own `cleanup`
 * (its streams, queues or keys).
 */
export function suiteResources<Sub extends { close(): Promise<void> }>(target: {
  cleanup?(): Promise<void>;
}): SuiteResources<Sub> {
  const resources: SuiteResources<Sub> = { transports: [], subscriptions: [] };
  afterEach(async () => {
    await Promise.allSettled(resources.subscriptions.splice(0).map((s) => s.close()));
    await Promise.allSettled(resources.transports.splice(0).map((t) => t.close()));
  });
  afterAll(async () => {
    await target.cleanup?.();
  });
  return resources;
}
