import { describeTransportConformance } from '@interlink/testing/bus';
import { describe, expect, it, vi } from 'vitest';
import type { Delivery } from '../transport/transport.js';
import { createMemoryBroker, createMemoryTransport } from './memory-transport.js';

// Every create() connects to the same in-process broker, the way several connections reach one
// real broker; closing a transport closes only its own subscriptions.
const broker = createMemoryBroker();

describeTransportConformance('memory', {
  create: async () => createMemoryTransport({ broker }),
  brokerDeduplicates: true,
});

describe('memory transport: a content type given apart from the headers', () => {
  it('is delivered among the headers, as NATS delivers it', async () => {
    const transport = createMemoryTransport({ broker: createMemoryBroker() });
    const got: Delivery[] = [];
    await transport.subscribe(['order.*'], async (d) => void got.push(d), { group: 'ct' });
    await transport.publish({
      id: 'm1',
      topic: 'order.failed',
      body: Buffer.from('{}'),
      headers: { 'ce-id': 'm1' },
      contentType: 'application/json',
    });
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(got[0]?.headers).toEqual({ 'ce-id': 'm1', 'content-type': 'application/json' });
    await transport.close();
  });
});
