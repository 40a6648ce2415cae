import { expect, it } from 'vitest';
import { createTestGateways } from './test-gateways.js';

it('closes every stream and gateway it started, and can be used again after', async () => {
  const gateways = createTestGateways();
  const gw = await gateways.start();
  const jwt = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
  const stream = await gateways.open(`${gw.url}/events/stream`, { authorization: `Bearer ${jwt}` });
  await stream.waitForEvents(1, 'connected');

  await gateways.close();

  expect(stream.closed).toBe(true);
  await expect(fetch(`${gw.url}/health`)).rejects.toThrow();
  const again = await gateways.start();
  expect((await fetch(`${again.url}/health`)).status).toBe(200);
  await gateways.close();
});
