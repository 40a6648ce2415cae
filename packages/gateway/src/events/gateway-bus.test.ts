import { describe, expect, it } from 'vitest';
import type { StreamEvent } from './event-source.js';
import { createGatewayEvents } from './gateway-bus.js';

describe('the gateway events on a memory bus', () => {
  it('delivers every event live to an in-process publisher in a tight loop, far past what the log keeps', async () => {
    const events = await createGatewayEvents({ retainEvents: 20 });
    const got: StreamEvent[] = [];
    let sawLast: () => void;
    const last = new Promise<void>((resolve) => (sawLast = resolve));
    events.subscribe('events.t1', (event) => {
      if (event.type === 'last') sawLast();
      else got.push(event);
    });
    for (let n = 1; n <= 200; n++) {
      await events.publish({ subject: 'events.t1', type: 'n', data: JSON.stringify({ n }) });
    }
    // Without back-pressure the live read falls behind by more than 20 and loses its place.
    await expect(events.check()).resolves.toBeUndefined();
    await events.publish({ subject: 'events.t1', type: 'last', data: '{}' });
    await last;
    expect(got.map((e) => JSON.parse(e.data).n)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    await events.close();
  });
});
