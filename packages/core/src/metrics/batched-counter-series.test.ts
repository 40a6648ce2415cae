import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { batchedCounter } from './batched-metrics.js';

async function values(registry: Registry, name: string): Promise<Array<[string, number]>> {
  const metric = registry.getSingleMetric(name)!;
  const { values } = await metric.get();
  return values.map((v) => [JSON.stringify(v.labels), v.value] as [string, number]).sort();
}

describe('batchedCounter series handles', () => {
  it('counts through handles and add() into the same series, flushed at each scrape', async () => {
    const registry = new Registry();
    const counter = batchedCounter({
      name: 'test_series_total',
      help: 'test',
      labelNames: ['target', 'outcome'] as const,
      registry,
    });
    const ok = counter.series(['a', 'ok']);
    ok.add();
    ok.add(2);
    counter.add(['a', 'ok']);
    counter.add(['a', 'failed'], 5);
    expect(await values(registry, 'test_series_total')).toEqual([
      ['{"target":"a","outcome":"failed"}', 5],
      ['{"target":"a","outcome":"ok"}', 4],
    ]);
    // A handle keeps counting after a scrape has flushed its series, and after a reset.
    ok.add();
    expect(await values(registry, 'test_series_total')).toContainEqual(['{"target":"a","outcome":"ok"}', 5]);
    registry.resetMetrics();
    ok.add();
    expect(await values(registry, 'test_series_total')).toEqual([['{"target":"a","outcome":"ok"}', 1]]);
  });

  it('gives the same series to every handle of one label set', async () => {
    const registry = new Registry();
    const counter = batchedCounter({ name: 'test_same_total', help: 'test', labelNames: ['k'], registry });
    counter.series(['x']).add();
    counter.series(['x']).add();
    expect(await values(registry, 'test_same_total')).toEqual([['{"k":"x"}', 2]]);
  });
});
