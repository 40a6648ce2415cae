import { describeEntryPoints } from '@interlink/testing/entry-points';
import * as main from './index.js';
import * as internal from './internal.js';
import * as presets from './presets.js';

describeEntryPoints('@interlink/bus', {
  manifest: new URL('../package.json', import.meta.url),
  main,
  notInMain: [
    'createSeedRegistry',
    'SEED_RABBIT_TOPOLOGY',
    'failureReason',
    'permanentFailure',
    'exponentialBackoff',
  ],
  entries: {
    './internal': { module: internal, exports: ['failureReason', 'topicMatches'] },
    './presets': {
      module: presets,
      exports: ['createSeedRegistry', 'SEED_RABBIT_TOPOLOGY', 'OrderCreatedV2'],
    },
  },
});
