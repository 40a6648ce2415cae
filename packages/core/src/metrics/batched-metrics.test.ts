import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { batchedCounter, batchedHistogram } from './batched-metrics.js';

describe('batched metrics', () => {
  it('exposes a histogram in the Prometheus text format with cumulative buckets', async () => {
    const registry = new Registry();
    const h = batchedHistogram({
      name: 'x_seconds',
      help: 'x',
      labelNames: ['a'],
      buckets: [0.1, 1],
      registry,
    });
    h.observe(['one'], 0.05);
    h.observe(['one'], 0.5);
    h.observe(['one'], 5);
    h.observe(['one'], Number.NaN);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE x_seconds histogram');
    expect(text).toContain('x_seconds_bucket{a="one",le="0.1"} 1');
    expect(text).toContain('x_seconds_bucket{a="one",le="1"} 2');
    expect(text).toContain('x_seconds_bucket{a="one",le="+Inf"} 3');
    expect(text).toContain('x_seconds_sum{a="one"} 5.55');
    expect(text).toContain('x_seconds_count{a="one"} 3');
  });

  it('keeps counters cumulative across scrapes', async () => {
    const registry = new Registry();
    const c = batchedCounter({ name: 'y_total', help: 'y', labelNames: ['a', 'b'], registry });
    c.add(['1', '2']);
    c.add(['1', '2'], 2);
    expect(await registry.metrics()).toContain('y_total{a="1",b="2"} 3');
    c.add(['1', '2']);
    c.add(['3', '4']);
    const text = await registry.metrics();
    expect(text).toContain('y_total{a="1",b="2"} 4');
    expect(text).toContain('y_total{a="3",b="4"} 1');
  });
});
