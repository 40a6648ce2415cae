import { createInbox, type Msg, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { createPublishDeadlines, type TrackedPublish } from '../transport/publish-deadlines.js';

/** What JetStream answers to a publish: the stream and sequence that hold the message. */
export interface PublishAck {
  stream: string;
  seq: number;
  duplicate: boolean;
}

/** Why a publish got no acknowledgement; the transport wraps it in `ERR_BUS_PUBLISH_FAILED`. */
export class PublishAckError extends Error {
  override name = 'PublishAckError';
}

interface Pending {
  resolve: (ack: PublishAck) => void;
  reject: (error: Error) => void;
  subject: string;
  deadline: TrackedPublish;
}

export interface PublishAcks {
  /** Publishes with a reply subject and settles with the stream's acknowledgement. */
  publish(subject: string, body: Uint8Array, headers: MsgHdrs): Promise<PublishAck>;
  /** Rejects what is still waiting and stops listening. */
  close(): void;
}

/**
 * JetStream publishes awaiting their acknowledgements on one wildcard reply subscription, as Go's
 * `PublishAsync` does. `JetStreamClient.publish` goes through nats.js's request path, which builds a
 * `RequestError("cancelled")` (stack trace included) after every successful request: a quarter of a
 * publisher's CPU here. Timeouts are swept by one timer (`createPublishDeadlines`), not one per publish.
 */
export function createPublishAcks(
  nc: NatsConnection,
  timeoutMs: number,
  /** The inbox prefix the connection was opened with, when subject permissions need one. */
  inboxPrefix?: string,
): PublishAcks {
  const inbox = `${createInbox(inboxPrefix)}.`;
  const pending = new Map<string, Pending>();
  const deadlines = createPublishDeadlines(timeoutMs);
  let next = 0;
  let closed = false;

  const subscription = nc.subscribe(`${inbox}*`, {
    callback: (error, msg) => {
      if (error) {
        // The reply subscription itself failed (permissions): nothing waiting can be answered.
        fail(new PublishAckError(`acknowledgements cannot be received: ${error.message}`));
        return;
      }
      settle(msg);
    },
  });

  function settle(msg: Msg): void {
    const token = msg.subject.slice(inbox.length);
    const entry = pending.get(token);
    if (!entry) return; // Timed out already, or a late duplicate.
    pending.delete(token);
    entry.deadline.settle();
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      entry.reject(new PublishAckError(`no stream listens on ${entry.subject}`));
      return;
    }
    let answer: { stream?: unknown; seq?: unknown; duplicate?: unknown; error?: { description?: unknown } };
    try {
      answer = JSON.parse(msg.string());
    } catch {
      entry.reject(new PublishAckError('the acknowledgement is not JSON'));
      return;
    }
    if (answer.error) {
      entry.reject(new PublishAckError(String(answer.error.description ?? 'the stream refused the message')));
      return;
    }
    if (typeof answer.stream !== 'string' || answer.stream === '' || typeof answer.seq !== 'number') {
      entry.reject(new PublishAckError('the acknowledgement names no stream and sequence'));
      return;
    }
    entry.resolve({ stream: answer.stream, seq: answer.seq, duplicate: answer.duplicate === true });
  }

  function fail(error: Error): void {
    const waiting = [...pending.values()];
    pending.clear();
    for (const entry of waiting) {
      entry.deadline.settle();
      entry.reject(error);
    }
  }

  const close = (): void => {
    if (closed) return;
    closed = true;
    fail(new PublishAckError('the connection closed before the acknowledgement'));
    deadlines.close();
    if (!nc.isClosed()) subscription.unsubscribe();
  };
  nc.closed().then(close, close);

  return {
    publish(subject, body, headers) {
      if (closed) return Promise.reject(new PublishAckError('the publisher is closed'));
      const token = (next++).toString(36);
      return new Promise<PublishAck>((resolve, reject) => {
        const deadline = deadlines.track(() => {
          pending.delete(token);
          reject(new PublishAckError(`no acknowledgement within ${timeoutMs} ms`));
        });
        pending.set(token, { resolve, reject, subject, deadline });
        try {
          nc.publish(subject, body, { reply: `${inbox}${token}`, headers });
        } catch (error) {
          pending.delete(token);
          deadline.settle();
          reject(error instanceof Error ? error : new PublishAckError(String(error)));
        }
      });
    },
    close,
  };
}
