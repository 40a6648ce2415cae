import type { JetStreamManager } from '@nats-io/jetstream';
import { DEAD_LETTER_HEADERS, type DeadLetter, type DeadLetterStore } from '../dead-letters/dead-letter.js';
import { BusError } from '../errors/bus-error-codes.js';
import { headersToRecord } from './nats-headers.js';

export interface NatsDeadLetterDeps {
  jsm: JetStreamManager;
  /** Where a replayed dead letter of `group` is published (see replaySubject). */
  replaySubject: (group: string, topic: string) => string;
  dlqStream: string;
  dlqPrefix: string;
  republish: (
    subject: string,
    body: Uint8Array,
    msgID: string,
    hdrs: Record<string, string>,
  ) => Promise<number>;
}

// Dead letters are few and read by people: a bounded scan by sequence is simple and enough.
const MAX_SCAN = 10_000;

/** Dead letters kept in the dead-letter stream, read by sequence. */
export function createNatsDeadLetters(deps: NatsDeadLetterDeps): DeadLetterStore {
  const { jsm, dlqStream, republish } = deps;

  function toDeadLetter(
    seq: number,
    subject: string,
    hdrs: Record<string, string>,
    data: Uint8Array,
  ): DeadLetter {
    const letter: DeadLetter = {
      id: String(seq),
      eventId: hdrs[DEAD_LETTER_HEADERS.eventId] ?? '',
      topic: hdrs[DEAD_LETTER_HEADERS.topic] ?? subject,
      group: hdrs[DEAD_LETTER_HEADERS.group] ?? '',
      reason: hdrs[DEAD_LETTER_HEADERS.reason] ?? '',
      attempts: Number(hdrs[DEAD_LETTER_HEADERS.attempts] ?? 0),
      failedAt: hdrs[DEAD_LETTER_HEADERS.failedAt] ?? '',
      body: data,
      headers: hdrs,
    };
    const code = hdrs[DEAD_LETTER_HEADERS.code];
    if (code) letter.code = code;
    return letter;
  }

  async function load(id: string): Promise<DeadLetter> {
    const seq = Number(id);
    const stored =
      Number.isSafeInteger(seq) && seq > 0
        ? await jsm.streams.getMessage(dlqStream, { seq }).catch(() => null)
        : null;
    if (!stored)
      throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `No dead letter ${String(id).slice(0, 50)}`);
    return toDeadLetter(stored.seq, stored.subject, headersToRecord(stored.header), stored.data);
  }

  return {
    async list(opts = {}) {
      const limit = opts.limit ?? 100;
      const info = await jsm.streams.info(dlqStream);
      const out: DeadLetter[] = [];
      const last = Math.min(info.state.last_seq, info.state.first_seq + MAX_SCAN);
      for (
        let seq = info.state.first_seq;
        seq <= last && out.length < limit && info.state.messages > 0;
        seq++
      ) {
        const stored = await jsm.streams.getMessage(dlqStream, { seq }).catch(() => null);
        if (!stored) continue;
        const letter = toDeadLetter(stored.seq, stored.subject, headersToRecord(stored.header), stored.data);
        if (!opts.group || letter.group === opts.group) out.push(letter);
      }
      return out;
    },
    get: load,
    async replay(id) {
      const letter = await load(id);
      if (!letter.group || !letter.topic) {
        throw new BusError('ERR_BUS_DEAD_LETTER_NOT_FOUND', `Dead letter ${id} has no group or topic`);
      }
      const subject = deps.replaySubject(letter.group, letter.topic);
      const hdrs = Object.fromEntries(
        Object.entries(letter.headers).filter(([k]) => !k.startsWith('interlink-dead-')),
      );
      // A fresh msg id: the original is still inside the duplicate window and would be dropped.
      await republish(subject, letter.body, `${letter.eventId}:replay:${letter.id}`, hdrs);
      await jsm.streams.deleteMessage(dlqStream, Number(letter.id));
    },
    async purge(id) {
      if (id !== undefined) {
        await load(id);
        return (await jsm.streams.deleteMessage(dlqStream, Number(id))) ? 1 : 0;
      }
      const response = await jsm.streams.purge(dlqStream);
      return response.purged;
    },
  };
}
