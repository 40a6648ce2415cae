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
    'SEED_002_ORDER_FORMAT',
  ],
  entries: {
    './internal': { module: internal, exports: ['failureReason', 'topicMatches'] },
    './presets': {
      module: presets,
      exports: [
        'createSeedRegistry',
        'SEED_RABBIT_TOPOLOGY',
        'OrderCreatedV2',
        'SEED_000_ANALYTICS_FORMAT',
        'SEED_002_ORDER_FORMAT',
        'SEED_003_NATS_FORMAT',
      ],
    },
  },
});
