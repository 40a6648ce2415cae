import type { Message } from 'amqplib';

/** The event type: the `type` property, or the routing key for messages from other publishers. */
export function topicOf(msg: Message): string {
  return msg.properties.type || msg.fields.routingKey;
}

/** The message's scalar headers, names lower-cased, values as strings (tables and arrays left out). */
export function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out[k.toLowerCase()] = String(v);
  }
  return out;
}
