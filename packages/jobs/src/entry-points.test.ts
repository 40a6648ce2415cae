import { readFileSync } from 'node:fs';
import { entryPointProblems } from '@interlink/core/internal';
import { describe, expect, it } from 'vitest';
import * as main from './index.js';
import * as internal from './internal.js';
import * as presets from './presets.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('@interlink/jobs entry points', () => {
  it('keep building blocks and seed presets out of the public entry', () => {
    for (const name of [
      'integrationPreset',
      'wrapPayload',
      'isPermanentFailure',
      'PERMANENT_JOB_ERROR_CODES',
      'backoffDelay',
    ])
      expect(main, name).not.toHaveProperty(name);
    for (const name of ['wrapPayload', 'retryDelay']) expect(internal, name).toHaveProperty(name);
    for (const name of ['integrationPreset', 'orderPreset', 'analyticsPreset'])
      expect(presets, name).toHaveProperty(name);
  });

  it('are each exported by package.json, sources first', () => {
    expect(entryPointProblems(manifest, ['./internal', './presets'])).toEqual([]);
  });
});
