import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expect, it } from 'vitest';
import { natsUrl } from '../brokers/broker-urls.js';
import { isolatedNatsNames } from '../names/isolated-nats-names.js';
import { deleteNatsStreams } from './delete-nats-streams.js';

it('deletes the streams it is given, passes over missing ones, and leaves a neighbour', async () => {
  const mine = isolatedNatsNames('delstreams');
  const neighbour = isolatedNatsNames('delstreamsn');
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.add({
      name: mine.stream,
      subjects: [`${mine.subjectPrefix}.>`],
      storage: StorageType.Memory,
    });
    await jsm.streams.add({
      name: neighbour.stream,
      subjects: [`${neighbour.subjectPrefix}.>`],
      storage: StorageType.Memory,
    });

    // The dead-letter stream was never made: its absence is not an error.
    await deleteNatsStreams([mine.stream, mine.deadLetterStream]);

    const names: string[] = [];
    for await (const name of jsm.streams.names()) names.push(name);
    expect(names).not.toContain(mine.stream);
    expect(names).toContain(neighbour.stream);
  } finally {
    await jsm.streams.delete(neighbour.stream).catch(() => false);
    await nc.close();
  }
});
