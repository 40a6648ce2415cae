import { randomUUID } from 'node:crypto';
import { uniqueName, amqpUrl as url } from '@interlink/testing';
import { connect } from 'amqplib';
import { afterAll, expect, it } from 'vitest';
import type { Transport } from '../transport/transport.js';
import { isolatedRabbitTopology, type RabbitTopology } from './rabbit-topology.js';
import { createRabbitTransport } from './rabbit-transport.js';

// No queues at all: nothing is bound to the exchange.
const topology: RabbitTopology = {
  ...isolatedRabbitTopology(uniqueName('unroutable')),
  queues: [],
};
const transports: Transport[] = [];

afterAll(async () => {
  await Promise.allSettled(transports.map((t) => t.close()));
  const conn = await connect(url);
  const ch = await conn.createChannel();
  await ch.deleteExchange(topology.exchange);
  await ch.deleteExchange(topology.deadLetterExchange);
  await conn.close();
});

it('fails a publish that no queue receives, instead of confirming it into nowhere', async () => {
  const transport = await createRabbitTransport({ url, topology });
  transports.push(transport);
  const publish = transport.publish({ id: randomUUID(), topic: 'order.created', body: Buffer.from('{}') });
  await expect(publish).rejects.toMatchObject({ code: 'ERR_BUS_PUBLISH_FAILED' });
  // The transport is still usable, and the refusal is per message.
  await expect(
    transport.publish({ id: randomUUID(), topic: 'order.created', body: Buffer.from('{}') }),
  ).rejects.toMatchObject({ code: 'ERR_BUS_PUBLISH_FAILED' });
});
