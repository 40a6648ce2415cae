// RabbitMQ pieces of the bus benches: the broker's address, a confirmed publish as a promise, and
// the teardown of a run's own exchanges and queues.
import { randomUUID } from 'node:crypto';
import { bus } from './bus-packages.mjs';

export const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Publishes `body` on a confirm channel with the properties the bus's RabbitMQ transport sets
 * (persistent, mandatory, message id, content type, the routing key as `type`), so a bare side
 * and the bus send the same message; resolves on the broker's confirm.
 */
export function publishConfirmed(channel, exchange, routingKey, body) {
  return new Promise((resolve, reject) =>
    channel.publish(
      exchange,
      routingKey,
      body,
      {
        persistent: true,
        mandatory: true,
        messageId: randomUUID(),
        contentType: 'application/cloudevents+json',
        type: routingKey,
      },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
}

/** Deletes `queues`, each group's queue and dead-letter queue, then the topology's exchanges. */
export async function deleteTopology(channel, topology, { groups, queues = [] }) {
  for (const queue of queues) await channel.deleteQueue(queue);
  for (const group of groups) {
    await channel.deleteQueue(bus.queueName(topology, group));
    await channel.deleteQueue(bus.deadLetterQueueName(topology, group));
  }
  await channel.deleteExchange(topology.exchange);
  await channel.deleteExchange(topology.deadLetterExchange);
}
