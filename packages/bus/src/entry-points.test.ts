import { readFileSync } from 'node:fs';
import { entryPointProblems } from '@interlink/core/internal';
import { describe, expect, it } from 'vitest';
import * as main from './index.js';
import * as internal from './internal.js';
import * as presets from './presets.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('@interlink/bus entry points', () => {
  it('keep building blocks and seed presets out of the public entry', () => {
    for (const name of [
      'createSeedRegistry',
      'SEED_RABBIT_TOPOLOGY',
      'failureReason',
      'permanentFailure',
      'exponentialBackoff',
    ])
      expect(main, name).not.toHaveProperty(name);
    for (const name of ['failureReason', 'topicMatches']) expect(internal, name).toHaveProperty(name);
    for (const name of ['createSeedRegistry', 'SEED_RABBIT_TOPOLOGY', 'OrderCreatedV2'])
      expect(presets, name).toHaveProperty(name);
  });

  it('are each exported by package.json, sources first', () => {
    expect(entryPointProblems(manifest, ['./internal', './presets'])).toEqual([]);
  });
});
