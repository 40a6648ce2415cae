import { describePositionedConformance } from '@interlink/testing/bus';
import { createMemoryTransport } from './memory-transport.js';

// Each create() is a broker of its own: a log whose positions and retention no other test shares.
describePositionedConformance('memory', {
  create: async (options = {}) =>
    createMemoryTransport(options.retainEvents === undefined ? {} : { retainEvents: options.retainEvents }),
});
