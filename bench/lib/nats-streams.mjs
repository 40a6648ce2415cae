// NATS JetStream names of one bench run: a random id keeps runs (and other users of the server)
// apart, and the streams are in-memory and deleted at the end.
import { randomBytes } from 'node:crypto';

export const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Stream and subject names for the NATS transport, `tag` plus a random id (`BENCH_1a2b…`). */
export function isolatedStreamNames(tag) {
  const id = randomBytes(4).toString('hex');
  return {
    stream: `${tag.toUpperCase()}_${id}`,
    subjectPrefix: `${tag}_${id}`,
    deadLetterStream: `${tag.toUpperCase()}_${id}_DLQ`,
    deadLetterPrefix: `${tag}_${id}_dlq`,
  };
}

/** Deletes the run's stream and dead-letter stream; a missing one is not an error. */
export async function deleteStreams(jsm, names) {
  await jsm.streams.delete(names.stream).catch(() => {});
  await jsm.streams.delete(names.deadLetterStream).catch(() => {});
}
