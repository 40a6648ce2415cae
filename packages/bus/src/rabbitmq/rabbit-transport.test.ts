import { uniqueName, amqpUrl as url } from '@interlink/testing';
import { describeTransportConformance } from '@interlink/testing/bus';
import { describe, expect, it } from 'vitest';
import { createBus } from '../bus/create-bus.js';
import { createSchemaRegistry } from '../envelope/schema-registry.js';
import type { Transport } from '../transport/transport.js';
import { deleteRabbitTopology } from './delete-rabbit-topology.test.helper.js';
import { isolatedRabbitTopology } from './rabbit-topology.js';
import { createRabbitTransport } from './rabbit-transport.js';

const topology = isolatedRabbitTopology(uniqueName('conf'));
const groups = new Set(topology.queues.map((q) => q.group));

/** Records the groups a test subscribes, so cleanup can delete their queues. */
function tracked(transport: Transport): Transport {
  return {
    name: transport.name,
    maxBytes: transport.maxBytes,
    deadLetters: transport.deadLetters,
    pending: (group) => transport.pending(group),
    publish: (m) => transport.publish(m),
    subscribe: (patterns, handler, options) => {
      groups.add(options.group);
      return transport.subscribe(patterns, handler, options);
    },
    close: () => transport.close(),
  };
}

describeTransportConformance('rabbitmq', {
  create: async () => tracked(await createRabbitTransport({ url, topology })),
  crashChild: { kind: 'rabbitmq', options: { url, topology } },
  cleanup: () => deleteRabbitTopology(url, topology, [...groups]),
});

describe('rabbitmq positions', () => {
  it('has no positioned log: the bus refuses positioned reads with ERR_BUS_UNSUPPORTED', async () => {
    const transport = await createRabbitTransport({ url, topology });
    const bus = createBus({ transport, registry: createSchemaRegistry(), source: '/test' });
    try {
      // Queues hand each message to one consumer and forget it: there is no position to resume from.
      expect(transport.positioned).toBeUndefined();
      await expect(bus.positioned.subscribe()).rejects.toMatchObject({
        code: 'ERR_BUS_UNSUPPORTED',
        status: 501,
      });
      await expect(bus.positioned.info()).rejects.toMatchObject({ code: 'ERR_BUS_UNSUPPORTED' });
    } finally {
      await bus.close();
    }
  });
});
