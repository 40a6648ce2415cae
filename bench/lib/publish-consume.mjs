// The end-to-end (publish -> handler) benches: one round publishes N events with WINDOW in flight
// and waits until the consumer has seen all of them; latency is from just before publish to the
// start of the handler. Each side's consumer reports keys to its own receiver.
import { randomUUID } from 'node:crypto';
import { formatRate, header, medianRatio } from './report.mjs';
import { median, percentile } from './statistics.mjs';
import { inFlight } from './throughput.mjs';

/** Where a side's consumer reports the key of each event it handles. */
export function createReceiver() {
  return { latencies: [], round: 0, onEvent: () => {} };
}

/** Publishes n events with `publish(key)`, window in flight; resolves when `receiver` saw all n. */
export async function measureRound({ n, window, publish, receiver }) {
  const sent = new Map();
  let done;
  const all = new Promise((resolve) => {
    done = resolve;
  });
  receiver.onEvent = (key) => {
    receiver.latencies.push(performance.now() - sent.get(key));
    if (receiver.latencies.length === n) done();
  };
  const started = performance.now();
  await inFlight(n, window, async (i) => {
    const key = `${receiver.round}-${i}`;
    sent.set(key, performance.now());
    await publish(key);
  });
  await all;
  const result = {
    rate: n / ((performance.now() - started) / 1000),
    p50: percentile(receiver.latencies, 50),
    p99: percentile(receiver.latencies, 99),
  };
  receiver.latencies = [];
  receiver.round++;
  return result;
}

/**
 * The CloudEvents JSON the bus sends for `order.failed`, built by hand without validation, so the
 * bare side puts the same bytes on the wire; the key travels in the order id.
 */
export function orderFailedJson({ registry, source }, bus) {
  const template = bus.createEvent(
    { type: 'order.failed', data: { orderId: 'o', reason: 'x' } },
    { registry, source },
  );
  return (key) =>
    JSON.stringify({
      ...template,
      id: randomUUID(),
      time: new Date().toISOString(),
      data: { orderId: key, reason: 'x' },
    });
}

/** The bus side: a subscription that reports each order id, and a publish of `order.failed`. */
export async function busSide(bus, concurrency) {
  const receiver = createReceiver();
  const subscription = await bus.subscribe('order.*', async (event) => receiver.onEvent(event.data.orderId), {
    group: 'bench',
    concurrency,
  });
  const publish = (key) => bus.publish({ type: 'order.failed', data: { orderId: key, reason: 'x' } });
  return { receiver, subscription, publish };
}

/** Prints the header, each side's median rate and latencies, and the median throughput ratio. */
export function printPublishConsume(title, bareLabel, results) {
  const pick = (side, k) => median(results[side].map((r) => r[k]));
  console.log(header(title));
  for (const side of ['bare', 'bus']) {
    const label = side === 'bare' ? bareLabel : 'bus publish + subscribe';
    console.log(
      `  ${label.padEnd(26)} ${formatRate(pick(side, 'rate'), 7)} events/s   p50 ${pick(side, 'p50').toFixed(1)} ms   p99 ${pick(side, 'p99').toFixed(1)} ms`,
    );
  }
  const rate = (side) => results[side].map((r) => r.rate);
  console.log(`  throughput ratio bus/bare ${medianRatio(rate('bus'), rate('bare')).toFixed(2)}`);
}
