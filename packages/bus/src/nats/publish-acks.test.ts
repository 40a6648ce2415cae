import { natsUrl as servers, uniqueId } from '@interlink/testing';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublishAcks } from './publish-acks.js';

const id = uniqueId();
const stream = `ACKS_${id}`;
const subject = `acks_${id}`;

const msgId = (value: string) => {
  const h = headers();
  h.set('Nats-Msg-Id', value);
  return h;
};

describe('JetStream publish acknowledgements on one reply subscription', () => {
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: stream,
      subjects: [`${subject}.stream.>`],
      storage: StorageType.Memory,
      duplicate_window: 60_000_000_000,
    });
    // Stand-ins for a broken server on subjects no stream owns: each answers one way.
    nc.subscribe(`${subject}.error`, {
      callback: (_, m) => {
        m.respond('{"error":{"code":503,"description":"full"}}');
      },
    });
    nc.subscribe(`${subject}.garbage`, {
      callback: (_, m) => {
        m.respond('not json');
      },
    });
    nc.subscribe(`${subject}.noseq`, {
      callback: (_, m) => {
        m.respond('{"stream":"X"}');
      },
    });
    nc.subscribe(`${subject}.silent`, { callback: () => {} });
    await nc.flush();
  });

  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
  });

  it('receives acknowledgements under the inbox prefix it is given (subject permissions)', async () => {
    const prefix = `_ACKS_${id}`;
    const seen: string[] = [];
    const monitor = nc.subscribe(`${prefix}.>`, {
      callback: (_, m) => {
        seen.push(m.subject);
      },
    });
    const acks = createPublishAcks(nc, 5000, prefix);
    const ack = await acks.publish(`${subject}.stream.p`, new TextEncoder().encode('p'), msgId(`p-${id}`));
    expect(ack.stream).toBe(stream);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.startsWith(`${prefix}.`)).toBe(true);
    acks.close();
    monitor.unsubscribe();
  });

  it('settles each publish with its own stream sequence, and marks a repeated msg id a duplicate', async () => {
    const acks = createPublishAcks(nc, 5000);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        acks.publish(`${subject}.stream.a`, new TextEncoder().encode(`m${i}`), msgId(`id-${i}`)),
      ),
    );
    expect(answers.map((a) => a.stream)).toEqual(Array(50).fill(stream));
    expect(new Set(answers.map((a) => a.seq)).size).toBe(50);
    expect(answers.some((a) => a.duplicate)).toBe(false);
    const again = await acks.publish(`${subject}.stream.a`, new TextEncoder().encode('m0'), msgId('id-0'));
    expect(again).toMatchObject({ duplicate: true, seq: answers[0]!.seq });
    acks.close();
  });

  it('refuses a subject no stream listens on, at once', async () => {
    const acks = createPublishAcks(nc, 30_000);
    await expect(acks.publish(`${subject}.nobody`, new Uint8Array(1), msgId('x'))).rejects.toThrow(
      /no stream listens/,
    );
    acks.close();
  });

  it('rejects an error answer, an answer that is not JSON and one without a sequence', async () => {
    const acks = createPublishAcks(nc, 5000);
    await expect(acks.publish(`${subject}.error`, new Uint8Array(1), msgId('e'))).rejects.toThrow('full');
    await expect(acks.publish(`${subject}.garbage`, new Uint8Array(1), msgId('g'))).rejects.toThrow(
      /not JSON/,
    );
    await expect(acks.publish(`${subject}.noseq`, new Uint8Array(1), msgId('n'))).rejects.toThrow(
      /no stream and sequence/,
    );
    acks.close();
  });

  it('times out a publish nobody acknowledges, and the others still settle', async () => {
    const acks = createPublishAcks(nc, 200);
    const silent = acks.publish(`${subject}.silent`, new Uint8Array(1), msgId('s'));
    const stored = acks.publish(`${subject}.stream.b`, new Uint8Array(1), msgId('b'));
    await expect(silent).rejects.toThrow(/no acknowledgement within 200 ms/);
    await expect(stored).resolves.toMatchObject({ stream });
    acks.close();
  });

  it('rejects what is waiting when the connection closes, and refuses new publishes', async () => {
    const own = await connect({ servers });
    const acks = createPublishAcks(own, 30_000);
    const waiting = acks.publish(`${subject}.silent`, new Uint8Array(1), msgId('c'));
    await own.flush();
    await own.close();
    await expect(waiting).rejects.toThrow(/closed before the acknowledgement/);
    await expect(acks.publish(`${subject}.stream.c`, new Uint8Array(1), msgId('c2'))).rejects.toThrow(
      /closed/,
    );
  });
});
