import { describeEntryPoints } from '@interlink/testing/entry-points';
import * as main from './index.js';
import * as internal from './internal.js';
import * as presets from './presets.js';

describeEntryPoints('@interlink/jobs', {
  manifest: new URL('../package.json', import.meta.url),
  main,
  notInMain: [
    'integrationPreset',
    'wrapPayload',
    'isPermanentFailure',
    'PERMANENT_JOB_ERROR_CODES',
    'backoffDelay',
  ],
  entries: {
    './internal': { module: internal, exports: ['wrapPayload', 'retryDelay'] },
    './presets': { module: presets, exports: ['integrationPreset', 'orderPreset', 'analyticsPreset'] },
  },
});
