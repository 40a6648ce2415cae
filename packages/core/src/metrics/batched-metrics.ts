import { Counter, type Registry } from 'prom-client';

/**
 * A counter whose hot-path increments are plain Map updates, flushed into a prom-client `Counter`
 * when the registry is scraped (prom-client's documented `collect` hook). prom-client's own `inc`
 * validates and hashes the label object on every call, which under load cost several µs per
 * outbound call (bench/client.mjs).
 */
export interface BatchedCounter<L extends string> {
  /** Adds `value` (1 by default) to the series with these label values, in `labelNames` order. */
  add(labelValues: readonly string[], value?: number): void;
  /**
   * The series of one label set, for a caller that counts it often: keep the handle and its `add`
   * skips joining and looking up the labels.
   */
  series(labelValues: readonly string[]): CounterSeries;
  /** The underlying prom-client metric. */
  readonly metric: Counter<L>;
}

/** One series of a {@link BatchedCounter}. */
export interface CounterSeries {
  add(value?: number): void;
}

interface PendingCount {
  labels: Record<string, string>;
  value: number;
  add(value?: number): void;
}

export function batchedCounter<L extends string>(options: {
  name: string;
  help: string;
  labelNames: readonly L[];
  registry: Registry;
}): BatchedCounter<L> {
  // Entries are never removed (a flush only zeroes them), so a handle stays valid for good.
  const pending = new Map<string, PendingCount>();
  const metric: Counter<L> = new Counter<L>({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [options.registry],
    collect() {
      for (const entry of pending.values()) {
        if (entry.value > 0) {
          metric.inc(entry.labels as Partial<Record<L, string>>, entry.value);
          entry.value = 0;
        }
      }
    },
  });
  const entryFor = (labelValues: readonly string[]): PendingCount => {
    const key = labelValues.join('\u0000');
    let entry = pending.get(key);
    if (!entry) {
      const labels = labelsOf(options.labelNames, labelValues);
      const created: PendingCount = {
        labels,
        value: 0,
        add(value = 1) {
          created.value += value;
        },
      };
      entry = created;
      pending.set(key, entry);
    }
    return entry;
  };
  return {
    metric,
    add(labelValues, value = 1) {
      entryFor(labelValues).value += value;
    },
    series: entryFor,
  };
}

interface Series {
  labels: Record<string, string>;
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram registered on a prom-client `Registry` as a custom metric: observing is
 * a Map lookup and an array increment; the text format is produced at scrape time, in the shape
 * prom-client's own histograms have (`_bucket{le}`, `_sum`, `_count`).
 */
export interface BatchedHistogram {
  observe(labelValues: readonly string[], value: number): void;
  /**
   * The series of one label set, for a caller that observes it often: keep the handle and its
   * `observe` skips joining and looking up the labels (the service kit does this per request).
   */
  series(labelValues: readonly string[]): BatchedHistogramSeries;
}

export interface BatchedHistogramSeries {
  observe(value: number): void;
}

export function batchedHistogram(options: {
  name: string;
  help: string;
  labelNames: readonly string[];
  buckets: readonly number[];
  registry: Registry;
}): BatchedHistogram {
  const bounds = [...options.buckets].sort((a, b) => a - b);
  const series = new Map<string, Series>();
  // Bumped by reset(), so handles from series() find their series again instead of a dropped one.
  let generation = 0;
  const metric = {
    name: options.name,
    help: options.help,
    type: 'histogram',
    aggregator: 'sum',
    reset() {
      series.clear();
      generation++;
    },
    async get() {
      const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> =
        [];
      for (const s of series.values()) {
        let cumulative = 0;
        bounds.forEach((bound, i) => {
          cumulative += s.counts[i] ?? 0;
          values.push({
            labels: { ...s.labels, le: bound },
            value: cumulative,
            metricName: `${options.name}_bucket`,
          });
        });
        values.push({
          labels: { ...s.labels, le: '+Inf' },
          value: s.count,
          metricName: `${options.name}_bucket`,
        });
        values.push({ labels: s.labels, value: s.sum, metricName: `${options.name}_sum` });
        values.push({ labels: s.labels, value: s.count, metricName: `${options.name}_count` });
      }
      return { name: options.name, help: options.help, type: 'histogram', aggregator: 'sum', values };
    },
  };
  options.registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);

  const seriesFor = (labelValues: readonly string[]): Series => {
    const key = labelValues.join('\u0000');
    let s = series.get(key);
    if (!s) {
      const labels = labelsOf(options.labelNames, labelValues);
      s = { labels, counts: new Float64Array(bounds.length), sum: 0, count: 0 };
      series.set(key, s);
    }
    return s;
  };
  const record = (s: Series, value: number): void => {
    if (!Number.isFinite(value)) return;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        s.counts[i]! += 1;
        break;
      }
    }
    s.sum += value;
    s.count += 1;
  };

  return {
    observe(labelValues, value) {
      if (Number.isFinite(value)) record(seriesFor(labelValues), value);
    },
    series(labelValues) {
      const labels = [...labelValues];
      let s = seriesFor(labels);
      let seen = generation;
      return {
        observe(value) {
          if (seen !== generation) {
            s = seriesFor(labels);
            seen = generation;
          }
          record(s, value);
        },
      };
    },
  };
}

/** A series' label object: each name with its value in order (empty when a value is missing). */
function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  names.forEach((name, i) => {
    labels[name] = values[i] ?? '';
  });
  return labels;
}
