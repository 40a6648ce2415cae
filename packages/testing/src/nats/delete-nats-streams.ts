import { natsUrl } from '../brokers/broker-urls.js';

/**
 * Deletes the JetStream streams a test file made (one that is missing is fine): the clean-up of a
 * file that owns unique stream names, dead-letter streams included. It opens a connection of its
 * own, so it runs after the test's own connections and transports are closed. The NATS client is
 * loaded on the first call: importing this entry connects to nothing and loads no broker client.
 */
export async function deleteNatsStreams(names: Iterable<string>, servers = natsUrl): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of names) await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}
