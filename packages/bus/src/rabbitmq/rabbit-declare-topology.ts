import type { Channel, ChannelModel } from 'amqplib';
import { deadLetterQueueName, queueName, type RabbitTopology } from './rabbit-topology.js';

/** A consumer group's queue to declare: its bindings and its delivery limit. */
export interface GroupDeclaration {
  group: string;
  patterns: readonly string[];
  maxDeliver: number;
}

async function queueExists(m: ChannelModel, queue: string): Promise<boolean> {
  // checkQueue closes its channel when the queue is missing, so probe on a throwaway channel.
  const probe = await m.createChannel();
  probe.on('error', () => {});
  try {
    await probe.checkQueue(queue);
    await probe.close().catch(() => {});
    return true;
  } catch {
    return false;
  }
}

/** A group's quorum queue (delivery limit, dead-letter exchange), its dead-letter queue and bindings. */
export async function declareGroup(
  topology: RabbitTopology,
  m: ChannelModel,
  ch: Channel,
  { group, patterns, maxDeliver }: GroupDeclaration,
): Promise<void> {
  const queue = queueName(topology, group);
  const dlq = deadLetterQueueName(topology, group);
  await ch.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.bindQueue(dlq, topology.deadLetterExchange, queue);
  // Re-declaring with other arguments is a channel error; an existing queue keeps its own limit.
  if (!(await queueExists(m, queue))) {
    await ch.assertQueue(queue, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        // The broker's own limit is the safety net for consumers that die mid-handler; the
        // transport dead-letters first, with the reason, when a handler keeps throwing.
        'x-delivery-limit': maxDeliver,
        'x-dead-letter-exchange': topology.deadLetterExchange,
        'x-dead-letter-routing-key': queue,
      },
    });
  }
  for (const pattern of patterns) await ch.bindQueue(queue, topology.exchange, pattern);
}

/**
 * Both exchanges, then each group's queues and bindings. `groups` is read as it is declared, so a
 * group added meanwhile (a lazy iterable over live subscriptions) is declared too.
 */
export async function declareTopology(
  topology: RabbitTopology,
  m: ChannelModel,
  ch: Channel,
  groups: Iterable<GroupDeclaration>,
): Promise<void> {
  await ch.assertExchange(topology.exchange, 'topic', { durable: true });
  await ch.assertExchange(topology.deadLetterExchange, 'direct', { durable: true });
  for (const group of groups) await declareGroup(topology, m, ch, group);
}
