import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, GetMessage, Message } from 'amqplib';
import { DEAD_LETTER_HEADERS, type DeadLetter, type DeadLetterStore } from '../dead-letters/dead-letter.js';
import { BusError } from '../errors/bus-error-codes.js';
import { failureReason } from '../transport/failure-reason.js';
import { stringHeaders, topicOf } from './rabbit-message.js';
import type { ConfirmPublish } from './rabbit-publisher.js';
import { deadLetterQueueName, queueName, type RabbitTopology } from './rabbit-topology.js';

const DEAD_ID_HEADER = 'interlink-dead-id';

export interface RabbitDeadLetterDeps {
  topology: RabbitTopology;
  confirmPublish: ConfirmPublish;
}

/**
 * Sends a message a group gave up on to the dead-letter exchange, with why, after how many
 * attempts and when, in its headers; routed by the group's queue name to the group's DLQ.
 */
export async function sendToDeadLetters(
  deps: RabbitDeadLetterDeps,
  group: string,
  msg: Message,
  attempts: number,
  error: unknown,
): Promise<void> {
  const { topology } = deps;
  const { reason, code } = failureReason(error);
  const headers: Record<string, unknown> = {
    ...msg.properties.headers,
    [DEAD_ID_HEADER]: randomUUID(),
    [DEAD_LETTER_HEADERS.reason]: reason,
    [DEAD_LETTER_HEADERS.attempts]: attempts,
    [DEAD_LETTER_HEADERS.group]: group,
    [DEAD_LETTER_HEADERS.topic]: topicOf(msg),
    [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
    [DEAD_LETTER_HEADERS.eventId]: msg.properties.messageId ?? '',
  };
  if (code) headers[DEAD_LETTER_HEADERS.code] = code;
  await deps.confirmPublish(
    (ch, done) =>
      ch.publish(
        topology.deadLetterExchange,
        queueName(topology, group),
        msg.content,
        {
          persistent: true,
          messageId: msg.properties.messageId,
          contentType: msg.properties.contentType,
          type: topicOf(msg),
          headers,
        },
        done,
      ),
    'a dead letter',
  );
}

/** Sends a dead letter straight to its group's queue, without the dead-lettering headers. */
function requeue(deps: RabbitDeadLetterDeps, letter: DeadLetter): Promise<void> {
  return deps.confirmPublish(
    (ch, done) =>
      ch.sendToQueue(
        queueName(deps.topology, letter.group),
        Buffer.from(letter.body),
        {
          persistent: true,
          messageId: letter.eventId,
          contentType: 'application/cloudevents+json',
          type: letter.topic,
          headers: Object.fromEntries(
            Object.entries(letter.headers).filter(
              ([k]) => !k.startsWith('interlink-dead-') && !k.startsWith('x-'),
            ),
          ),
        },
        done,
      ),
    'a replayed dead letter',
  );
}

function toDeadLetter(group: string, msg: GetMessage): DeadLetter {
  const h = stringHeaders(msg.properties.headers);
  const letter: DeadLetter = {
    id: `${group}/${h[DEAD_ID_HEADER] ?? msg.properties.messageId ?? ''}`,
    eventId: h[DEAD_LETTER_HEADERS.eventId] ?? msg.properties.messageId ?? '',
    topic: h[DEAD_LETTER_HEADERS.topic] ?? topicOf(msg),
    group,
    // Messages the broker dead-lettered itself (its delivery limit) carry only `x-death`.
    reason: h[DEAD_LETTER_HEADERS.reason] ?? 'delivery limit reached (dead-lettered by the broker)',
    attempts: Number(h[DEAD_LETTER_HEADERS.attempts] ?? h['x-delivery-count'] ?? 0),
    failedAt: h[DEAD_LETTER_HEADERS.failedAt] ?? '',
    body: msg.content,
    headers: h,
  };
  const code = h[DEAD_LETTER_HEADERS.code];
  if (code) letter.code = code;
  return letter;
}

export interface RabbitDeadLetterStoreDeps extends RabbitDeadLetterDeps {
  /** Every group the transport knows: the seed queues and every group ever subscribed. */
  knownGroups: Set<string>;
  model: () => ChannelModel | undefined;
}

// Dead letters are read by people, a few at a time: read the DLQ with basic.get and let the
// channel's close put everything not taken back.
export function createRabbitDeadLetters(deps: RabbitDeadLetterStoreDeps): DeadLetterStore {
  const { topology } = deps;

  async function withChannel<T>(fn: (ch: Channel) => Promise<T>): Promise<T> {
    const m = deps.model();
    if (!m) throw new BusError('ERR_BUS_NOT_CONNECTED', 'RabbitMQ is not connected');
    const ch = await m.createChannel();
    ch.on('error', () => {});
    try {
      return await fn(ch);
    } finally {
      await ch.close().catch(() => {});
    }
  }

  async function scan(
    groups: Iterable<string>,
    visit: (letter: DeadLetter, msg: GetMessage, ch: Channel) => Promise<'next' | 'stop'>,
    limit = 10_000,
  ): Promise<void> {
    await withChannel(async (ch) => {
      let seen = 0;
      for (const group of groups) {
        const dlq = deadLetterQueueName(topology, group);
        for (;;) {
          const msg = await ch.get(dlq, { noAck: false }).catch(() => false as const);
          if (!msg || seen++ >= limit) break;
          if ((await visit(toDeadLetter(group, msg), msg, ch)) === 'stop') return;
        }
      }
    });
  }

  function parseId(id: string): { group: string } {
    const slash = typeof id === 'string' ? id.indexOf('/') : -1;
    if (slash <= 0) throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', 'No such dead letter');
    return { group: id.slice(0, slash) };
  }

  async function take(id: string, then: (letter: DeadLetter) => Promise<void>): Promise<DeadLetter> {
    const { group } = parseId(id);
    let found: DeadLetter | undefined;
    await scan([group], async (letter, msg, ch) => {
      if (letter.id !== id) return 'next';
      await then(letter);
      ch.ack(msg);
      found = letter;
      return 'stop';
    });
    if (!found) throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `No dead letter ${id.slice(0, 200)}`);
    return found;
  }

  return {
    async list(opts = {}) {
      const limit = opts.limit ?? 100;
      const out: DeadLetter[] = [];
      await scan(opts.group ? [opts.group] : [...deps.knownGroups], async (letter) => {
        out.push(letter);
        return out.length >= limit ? 'stop' : 'next';
      });
      return out;
    },
    async get(id) {
      const { group } = parseId(id);
      let found: DeadLetter | undefined;
      await scan([group], async (letter) => {
        if (letter.id !== id) return 'next';
        found = letter;
        return 'stop';
      });
      if (!found) throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `No dead letter ${id.slice(0, 200)}`);
      return found;
    },
    async replay(id) {
      await take(id, (letter) => requeue(deps, letter));
    },
    async purge(id) {
      if (id !== undefined) {
        await take(id, async () => {});
        return 1;
      }
      return withChannel(async (ch) => {
        let n = 0;
        for (const group of deps.knownGroups) {
          n += (await ch.purgeQueue(deadLetterQueueName(topology, group)).catch(() => ({ messageCount: 0 })))
            .messageCount;
        }
        return n;
      });
    },
  };
}
