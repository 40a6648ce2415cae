import { Counter, Histogram, type Registry } from 'prom-client';

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

/**
 * A prom-client `Histogram` with a cache of its label children: a caller that observes the same
 * label set often (the service kit does, per request) keeps a series handle, whose `observe` is
 * prom-client's own child `observe`. prom-client still hashes the labels on each call (about 0.3 µs
 * on Node 24); an earlier version kept its own bucket arrays and registered a hand-made object as a
 * metric, which prom-client does not offer as an extension point.
 */
export interface LabelledHistogram<L extends string = string> {
  /** Observes `value` in the series with these label values, in `labelNames` order. */
  observe(labelValues: readonly string[], value: number): void;
  /** The series of one label set: keep the handle to skip building the label object each time. */
  series(labelValues: readonly string[]): LabelledHistogramSeries;
  /** The underlying prom-client metric. */
  readonly metric: Histogram<L>;
}

export interface LabelledHistogramSeries {
  /** Observes `value`; a value that is not a finite number is ignored, never thrown. */
  observe(value: number): void;
}

export function labelledHistogram<L extends string>(options: {
  name: string;
  help: string;
  labelNames: readonly L[];
  buckets: readonly number[];
  registry: Registry;
}): LabelledHistogram<L> {
  const metric = new Histogram<L>({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    buckets: [...options.buckets],
    registers: [options.registry],
  });
  const children = new Map<string, LabelledHistogramSeries>();
  const seriesFor = (labelValues: readonly string[]): LabelledHistogramSeries => {
    const key = labelValues.join('\u0000');
    let series = children.get(key);
    if (!series) {
      // The child keeps its label object, not its bucket state: it still counts after a reset.
      const child = metric.labels(labelsOf(options.labelNames, labelValues) as Partial<Record<L, string>>);
      const created: LabelledHistogramSeries = {
        observe(value) {
          if (Number.isFinite(value)) child.observe(value);
        },
      };
      series = created;
      children.set(key, series);
    }
    return series;
  };
  return {
    metric,
    observe(labelValues, value) {
      seriesFor(labelValues).observe(value);
    },
    series: seriesFor,
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
