import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describeTransportConformance } from '../conformance/transport-conformance.js';
import { createNatsTransport } from './nats-transport.js';

const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const id = randomBytes(4).toString('hex');
const names = {
  stream: `CONF_${id}`,
  subjectPrefix: `conf_${id}`,
  deadLetterStream: `CONF_${id}_DLQ`,
  deadLetterPrefix: `conf_${id}_dlq`,
};

// A short ack wait so the kill -9 test sees the dead consumer's message again within seconds.
const options = { servers, ...names, storage: 'memory' as const, ackWaitMs: 2000 };

describeTransportConformance('nats', {
  create: () => createNatsTransport(options),
  crashChild: { kind: 'nats', options },
  brokerDeduplicates: true,
  async cleanup() {
    const nc = await connect({ servers });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(names.stream).catch(() => false);
    await jsm.streams.delete(names.deadLetterStream).catch(() => false);
    await nc.close();
  },
});
