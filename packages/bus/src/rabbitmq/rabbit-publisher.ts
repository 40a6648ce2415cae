import { setTimeout as sleep } from 'node:timers/promises';
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { BusError } from '../errors/bus-error-codes.js';
import { createPublishDeadlines } from '../transport/publish-deadlines.js';
import type { RabbitLink } from './rabbit-connection.js';

/**
 * Sends one message on the publishing channel and waits for the broker's confirm: `send` publishes
 * with `done` as its callback; `what` names the message in errors; `mandatoryId` is the message id
 * of a `mandatory` publish, which fails when the broker returns it unroutable.
 */
export type ConfirmPublish = (
  send: (ch: ConfirmChannel, done: (err: unknown) => void) => void,
  what: string,
  mandatoryId?: string,
) => Promise<void>;

export interface RabbitPublisherOptions {
  link: RabbitLink;
  /** How long a publish waits for the broker's confirm. */
  publishTimeoutMs: number;
  reconnectDelay: (attempt: number) => number;
  /** Declares the whole topology on the new channel before anything is published on it. */
  declareTopology: (m: ChannelModel, ch: ConfirmChannel) => Promise<void>;
}

export interface RabbitPublisher {
  /** Opens the publishing channel on `m`; the caller installs it as `link.pub`. */
  open(m: ChannelModel): Promise<ConfirmChannel>;
  confirmPublish: ConfirmPublish;
  /** Fails every publish still waiting for its confirm and stops the timeouts' sweep. */
  close(): void;
}

/** The confirm-channel publisher: publishes wait for the broker's ack, and unroutable ones fail. */
export function createRabbitPublisher(options: RabbitPublisherOptions): RabbitPublisher {
  const { link, publishTimeoutMs, reconnectDelay } = options;
  // Message ids the broker returned as unroutable, counted until their publish's ack is seen.
  const returned = new Map<string, number>();
  /** True (once) when the broker returned this message id as unroutable. */
  function takeReturned(id: string | undefined): boolean {
    if (id === undefined) return false;
    const n = returned.get(id);
    if (n === undefined) return false;
    if (n <= 1) returned.delete(id);
    else returned.set(id, n - 1);
    return true;
  }

  const deadlines = createPublishDeadlines(publishTimeoutMs);

  // Not async: the promise is the one the confirm settles, with no extra await between the
  // broker's ack and the caller (a publish's own cost is most of what the bus adds to amqplib).
  const confirmPublish: ConfirmPublish = (send, what, mandatoryId) => {
    const ch = link.pub;
    if (!ch) {
      return Promise.reject(
        new BusError('ERR_BUS_PUBLISH_FAILED', `RabbitMQ is not connected; ${what} was not published`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const fail = (cause?: unknown) =>
        reject(new BusError('ERR_BUS_PUBLISH_FAILED', `RabbitMQ did not confirm ${what}`, { cause }));
      const tracked = deadlines.track(fail);
      try {
        send(ch, (err) => {
          tracked.settle();
          const unroutable = takeReturned(mandatoryId);
          if (err) fail(err);
          else if (unroutable) fail(new Error(`No queue is bound for ${what}: the broker returned it`));
          else resolve();
        });
      } catch (cause) {
        tracked.settle();
        fail(cause);
      }
    });
  };

  /**
   * The publishing channel, topology declared first. When the broker closes only this channel (a
   * deleted exchange, say) while the connection lives on, it is opened again, with backoff, and
   * the topology re-declared before anything is published on it, so no confirmed publish is routed
   * nowhere for want of a binding.
   */
  async function open(m: ChannelModel): Promise<ConfirmChannel> {
    const ch = await m.createConfirmChannel();
    ch.on('error', () => {});
    // Events are published `mandatory`: one that reaches no queue comes back (basic.return, which
    // the broker sends before the message's ack) and its publish fails instead of being confirmed
    // into nowhere. That happens when an exchange was deleted and re-declared and a publish landed
    // between the exchange and its bindings coming back: the broker acks such a message unrouted.
    ch.on('return', (msg: Message) => {
      const id = msg.properties.messageId;
      if (typeof id === 'string') returned.set(id, (returned.get(id) ?? 0) + 1);
    });
    await options.declareTopology(m, ch);
    ch.on('close', () => {
      if (link.pub !== ch) return;
      link.pub = undefined;
      void (async () => {
        for (let attempt = 1; !link.closed && link.model === m; attempt++) {
          try {
            const reopened = await open(m);
            // A reconnect may have replaced the connection meanwhile: never install a channel of
            // the old one over the new publisher.
            if (link.model === m && !link.closed) link.pub = reopened;
            else void reopened.close().catch(() => {});
            return;
          } catch {
            await sleep(reconnectDelay(attempt));
          }
        }
      })();
    });
    return ch;
  }

  return { open, confirmPublish, close: deadlines.close };
}
