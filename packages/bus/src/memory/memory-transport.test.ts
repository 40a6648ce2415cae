import { describeTransportConformance } from '@interlink/testing/bus';
import { createMemoryBroker, createMemoryTransport } from './memory-transport.js';

// Every create() connects to the same in-process broker, the way several connections reach one
// real broker; closing a transport closes only its own subscriptions.
const broker = createMemoryBroker();

describeTransportConformance('memory', {
  create: async () => createMemoryTransport({ broker }),
  brokerDeduplicates: true,
});
