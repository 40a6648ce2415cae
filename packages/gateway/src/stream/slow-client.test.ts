import { openStream, startTestGateway, type TestGateway, type TestStream } from '@interlink/testing/gateway';
import { afterAll, describe, expect, it } from 'vitest';

const streams: TestStream[] = [];
let gw: TestGateway | undefined;

afterAll(async () => {
  for (const s of streams) s.close();
  await gw?.close();
});

const metric = (text: string, name: string) =>
  Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(text)?.[1]);

describe('slow clients', () => {
  it('disconnects 200 clients that stop reading at the queue limit while a normal client keeps receiving', async () => {
    const maxQueueBytes = 64 * 1024;
    gw = await startTestGateway({ maxQueueBytes, limits: { perUser: 10, perTenant: 1000 } });
    const token = async (i: number) =>
      `Bearer ${await gw!.users.mint({ userId: `slow${i}`, tenantId: 't1' })}`;
    const slow: TestStream[] = [];
    for (let i = 0; i < 200; i++) {
      const s = await openStream(`${gw.url}/events/stream`, { authorization: await token(i) });
      streams.push(s);
      slow.push(s);
    }
    const normal = await openStream(`${gw.url}/events/stream`, {
      authorization: `Bearer ${await gw.users.mint({ userId: 'reader', tenantId: 't1' })}`,
    });
    streams.push(normal);
    await normal.waitForEvents(1, 'connected');
    for (const s of slow) await s.waitForEvents(1, 'connected');
    for (const s of slow) s.pause();

    const payload = JSON.stringify({ pad: 'x'.repeat(8 * 1024) });
    let sent = 0;
    let peakQueued = 0;
    // Publish until every slow client is gone, yielding so sockets can drain between bursts.
    while (gw.gateway.connectionCount() > 1 && sent < 4000) {
      for (let k = 0; k < 4; k++, sent++) {
        await gw.events.publish({ subject: 'events.t1', type: 'big', data: payload });
      }
      const text = await gw.gateway.metrics.registry.metrics();
      peakQueued = Math.max(peakQueued, metric(text, 'sse_queue_bytes'));
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(gw.gateway.connectionCount()).toBe(1);
    await normal.waitForEvents(sent, 'big', 10_000);
    expect(normal.events.filter((e) => e.event === 'big')).toHaveLength(sent);
    const text = await gw.gateway.metrics.registry.metrics();
    expect(metric(text, 'sse_slow_client_disconnects_total')).toBe(200);
    // Memory stays bounded: never more than the limit plus one frame per connection was queued.
    expect(peakQueued).toBeLessThanOrEqual(201 * (maxQueueBytes + payload.length + 200));
    expect(normal.closed).toBe(false);
  });
});
