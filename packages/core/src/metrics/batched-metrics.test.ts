import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { batchedCounter, labelledHistogram } from './batched-metrics.js';

describe('hot-path metrics', () => {
  it('exposes a histogram in the Prometheus text format with cumulative buckets', async () => {
    const registry = new Registry();
    const h = labelledHistogram({
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
    expect(text).toContain('x_seconds_bucket{le="0.1",a="one"} 1');
    expect(text).toContain('x_seconds_bucket{le="1",a="one"} 2');
    expect(text).toContain('x_seconds_bucket{le="+Inf",a="one"} 3');
    expect(text).toContain('x_seconds_sum{a="one"} 5.55');
    expect(text).toContain('x_seconds_count{a="one"} 3');
    // A real prom-client metric, so the registry's own API works on it.
    expect(registry.getSingleMetric('x_seconds')).toBeInstanceOf(Histogram);
    expect(h.metric).toBe(registry.getSingleMetric('x_seconds'));
    expect((await registry.getMetricsAsJSON()).find((m) => m.name === 'x_seconds')?.type).toBe('histogram');
  });

  it('counts through a series handle exactly as observe does, also after a reset', async () => {
    const registry = new Registry();
    const options = { help: 'x', labelNames: ['a', 'b'], buckets: [0.1, 1], registry };
    const direct = labelledHistogram({ name: 'direct_seconds', ...options });
    const viaHandle = labelledHistogram({ name: 'handle_seconds', ...options });
    const handle = viaHandle.series(['one', 'two']);
    for (const value of [0.05, 0.5, 5, Number.NaN]) {
      direct.observe(['one', 'two'], value);
      handle.observe(value);
    }
    const text = await registry.metrics();
    const body = (name: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(name))
        .map((l) => l.slice(name.length));
    expect(body('handle_seconds')).toEqual(body('direct_seconds'));
    expect(body('handle_seconds')).toContain('_count{a="one",b="two"} 3');
    registry.resetMetrics();
    handle.observe(0.5);
    expect(await registry.metrics()).toContain('handle_seconds_count{a="one",b="two"} 1');
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
