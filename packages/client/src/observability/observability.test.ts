import diagnosticsChannel from 'node:diagnostics_channel';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '../client/create-service-client.js';
import { json, type RecordingUpstream, startUpstream } from '../testing/recording-upstream.test.helper.js';
import { createClientMetrics } from './client-metrics.js';
import { CLIENT_CHANNELS } from './diagnostics-channels.js';

let upstream: RecordingUpstream;
let client: ServiceClient;
const registry = new Registry();

beforeAll(async () => {
  let n = 0;
  upstream = await startUpstream((_req, res) =>
    n++ % 2 === 0 ? json(res, 503, {}) : json(res, 200, { ok: true }),
  );
  client = createServiceClient({
    service: 'observed',
    baseUrl: upstream.url,
    production: false,
    retry: { baseDelayMs: 1 },
    metrics: createClientMetrics({ registry }),
  });
});
afterAll(async () => {
  await client.close();
  await upstream.close();
});

describe('observability', () => {
  it('counts calls, attempts and retries per target, and times calls', async () => {
    await client.json({ path: '/a', operation: 'getThing' });
    const text = await registry.metrics();
    expect(text).toContain(
      'interlink_client_requests_total{target="observed",operation="getThing",outcome="ok"} 1',
    );
    expect(text).toContain('interlink_client_attempts_total{target="observed",result="5xx"} 1');
    expect(text).toContain('interlink_client_attempts_total{target="observed",result="2xx"} 1');
    expect(text).toContain('interlink_client_retries_total{target="observed",reason="503"} 1');
    expect(text).toContain(
      'interlink_client_request_duration_seconds_count{target="observed",operation="getThing",outcome="ok"} 1',
    );
  });

  it('publishes attempts, retries and the end of a call on diagnostics_channel', async () => {
    const events: Array<[string, Record<string, unknown>]> = [];
    const subs = Object.values(CLIENT_CHANNELS).map((name) => {
      const fn = (message: unknown) => events.push([name, message as Record<string, unknown>]);
      diagnosticsChannel.subscribe(name, fn);
      return () => diagnosticsChannel.unsubscribe(name, fn);
    });
    try {
      await client.json({ path: '/b', operation: 'getOther' });
    } finally {
      for (const off of subs) off();
    }
    expect(events.map(([name]) => name)).toEqual([
      CLIENT_CHANNELS.attemptStart,
      CLIENT_CHANNELS.attemptEnd,
      CLIENT_CHANNELS.retry,
      CLIENT_CHANNELS.attemptStart,
      CLIENT_CHANNELS.attemptEnd,
      CLIENT_CHANNELS.requestEnd,
    ]);
    expect(events[0]![1]).toMatchObject({ service: 'observed', method: 'GET', attempt: 1 });
    expect((events[0]![1].headers as Record<string, string>).traceparent).toMatch(/^00-/);
    expect(events[1]![1]).toMatchObject({ status: 503 });
    expect(events[5]![1]).toMatchObject({ operation: 'getOther', outcome: 'ok', attempts: 2 });
  });
});
