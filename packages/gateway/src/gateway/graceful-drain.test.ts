import http from 'node:http';
import { startTestGateway } from '@interlink/testing/gateway';
import { describe, expect, it } from 'vitest';

describe('graceful drain', () => {
  it('ends every open stream cleanly on shutdown instead of waiting for the shutdown timeout', async () => {
    // A 15 s shutdown timeout: if streams were not ended, close() would only return after it and
    // would then cut the sockets, which the clients see as aborted rather than ended.
    const gw = await startTestGateway({ drainSpreadMs: 300, service: { shutdownTimeoutMs: 15_000 } });
    const outcomes: Promise<'ended' | 'aborted'>[] = [];
    for (let i = 0; i < 5; i++) {
      const token = await gw.users.mint({ userId: `u${i}`, tenantId: 't1' });
      outcomes.push(
        new Promise((resolve, reject) => {
          http
            .get(`${gw.url}/events/stream`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
              res.on('data', () => {});
              res.on('end', () => resolve('ended'));
              res.on('aborted', () => resolve('aborted'));
              res.on('error', () => resolve('aborted'));
            })
            .on('error', reject);
        }),
      );
    }
    while (gw.gateway.connectionCount() < 5) await new Promise((r) => setTimeout(r, 10));
    const closing = gw.close();
    expect(await Promise.all(outcomes)).toEqual(['ended', 'ended', 'ended', 'ended', 'ended']);
    await closing;
    expect(gw.gateway.connectionCount()).toBe(0);
  });

  it('serves seed 003 metric names on /metrics', async () => {
    const gw = await startTestGateway();
    const token = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    await fetch(`${gw.url}/events/token`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    for (const name of [
      'sse_connections_active',
      'sse_messages_sent_total',
      'nats_messages_received_total',
      'http_request_duration_seconds_bucket',
      'sse_slow_client_disconnects_total',
      'sse_events_replayed_total',
      'sse_resets_total',
      'sse_queue_bytes',
      'sse_stream_tokens_issued_total',
    ]) {
      expect(text).toContain(name);
    }
    await gw.close();
  });
});
