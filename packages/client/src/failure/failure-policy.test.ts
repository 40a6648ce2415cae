import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '../client/create-service-client.js';
import { createClientMetrics } from '../observability/client-metrics.js';
import { json, type RecordingUpstream, startUpstream } from '../testing/recording-upstream.test.helper.js';
import { rejection } from '../testing/rejection.test.helper.js';
import { failClosed, fallback, none } from './failure-policy.js';

let down: ServiceClient;
let answering: ServiceClient;
let upstream: RecordingUpstream;
const registry = new Registry();
const metrics = createClientMetrics({ registry });

beforeAll(async () => {
  const gone = await startUpstream();
  await gone.close();
  down = createServiceClient({
    service: 'down',
    baseUrl: gone.url,
    production: false,
    metrics,
    retry: false,
  });
  upstream = await startUpstream((req, res) => {
    if (req.url === '/missing') json(res, 404, { code: 'ERR_NOT_FOUND' });
    else json(res, 500, { code: 'ERR_INTERNAL' });
  });
  answering = createServiceClient({
    service: 'answering',
    baseUrl: upstream.url,
    production: false,
    metrics,
  });
});
afterAll(async () => {
  await down.close();
  await answering.close();
  await upstream.close();
});

async function fallbacksCounted(target: string, operation: string): Promise<number> {
  const metric = await registry.getSingleMetric('interlink_client_fallbacks_total')!.get();
  return (
    metric.values.find((v) => v.labels.target === target && v.labels.operation === operation)?.value ?? 0
  );
}

describe('failure policies', () => {
  it('failClosed: a security decision raises when the target is down', async () => {
    const error = await rejection(
      down.json<boolean>({
        path: '/tickets/t1/not-transferred',
        operation: 'checkTicketNotTransferred',
        failure: failClosed(),
      }),
    );
    expect(error.code).toBe('ERR_UPSTREAM_UNAVAILABLE');
  });

  it('fallback: a non-critical read returns its default when the target is down, and counts it', async () => {
    const before = await fallbacksCounted('down', 'getPrices');
    const prices = await down.json<number[]>({
      path: '/prices',
      operation: 'getPrices',
      failure: fallback<number[]>(() => []),
    });
    expect(prices).toEqual([]);
    expect(await fallbacksCounted('down', 'getPrices')).toBe(before + 1);
  });

  it('fallback: covers an upstream 5xx', async () => {
    expect(
      await answering.json({
        path: '/boom',
        operation: 'availability',
        failure: fallback({ available: false }),
      }),
    ).toEqual({
      available: false,
    });
    expect(await fallbacksCounted('answering', 'availability')).toBe(1);
  });

  it('fallback: an upstream 4xx is an answer, not an outage, and still raises', async () => {
    const error = await rejection(
      answering.json({ path: '/missing', operation: 'lookup', failure: fallback(null) }),
    );
    expect(error.upstream?.status).toBe(404);
    expect(await fallbacksCounted('answering', 'lookup')).toBe(0);
  });

  it('fallback: a caller that aborts gets the abort, not the default', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      down.json({ path: '/prices', failure: fallback([]), signal: controller.signal }),
    );
    expect(error.code).toBe('ERR_CLIENT_ABORTED');
  });

  it('none: a write fails explicitly', async () => {
    const error = await rejection(down.json({ method: 'POST', path: '/orders', json: {}, failure: none() }));
    expect(error.code).toBe('ERR_UPSTREAM_UNAVAILABLE');
  });
});
