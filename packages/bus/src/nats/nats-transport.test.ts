import { deleteNatsStreams, isolatedNatsNames, natsUrl as servers, waitFor } from '@interlink/testing';
import { describeTransportConformance } from '@interlink/testing/bus';
import { describe, expect, it } from 'vitest';
import { createNatsTransport } from './nats-transport.js';

const names = isolatedNatsNames('conf');

// A short ack wait so the kill -9 test sees the dead consumer's message again within seconds.
const options = { servers, ...names, storage: 'memory' as const, ackWaitMs: 2000 };

describeTransportConformance('nats', {
  create: () => createNatsTransport(options),
  crashChild: { kind: 'nats', options },
  brokerDeduplicates: true,
  cleanup: () => deleteNatsStreams([names.stream, names.deadLetterStream]),
});

describe('nats handler keep-alive', () => {
  it('keeps a handler that runs past the ack wait from having its message redelivered', async () => {
    const kaNames = isolatedNatsNames('confka');
    const transport = await createNatsTransport({ ...options, ...kaNames, ackWaitMs: 1000 });
    try {
      const calls: number[] = [];
      const sub = await transport.subscribe(
        ['order.created'],
        async (delivery) => {
          calls.push(delivery.attempt);
          await new Promise((resolve) => setTimeout(resolve, 3500));
        },
        { group: 'slow', concurrency: 1 },
      );
      await transport.publish({ id: 'ka-1', topic: 'order.created', body: Buffer.from('{}') });
      await waitFor(() => calls.length > 0, 'the first delivery');
      // 3.5 ack waits of work, then one more ack wait in which a redelivery would show.
      await new Promise((resolve) => setTimeout(resolve, 4500));
      await sub.close();
      expect(calls).toEqual([1]);
    } finally {
      await transport.close();
      await deleteNatsStreams([kaNames.stream, kaNames.deadLetterStream]);
    }
  }, 20_000);
});
