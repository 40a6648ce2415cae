import { connect } from 'amqplib';
import { deadLetterQueueName, queueName, type RabbitTopology } from './rabbit-topology.js';

/**
 * Deletes what a test's isolated topology made on RabbitMQ: each group's queue and dead-letter
 * queue, then both exchanges. For a test's afterAll, once its transports are closed.
 */
export async function deleteRabbitTopology(
  url: string,
  topology: RabbitTopology,
  groups: readonly string[],
): Promise<void> {
  const conn = await connect(url);
  try {
    const ch = await conn.createChannel();
    for (const group of groups) {
      await ch.deleteQueue(queueName(topology, group));
      await ch.deleteQueue(deadLetterQueueName(topology, group));
    }
    await ch.deleteExchange(topology.exchange);
    await ch.deleteExchange(topology.deadLetterExchange);
  } finally {
    await conn.close();
  }
}
