import { describe, expect, it } from 'vitest';
import { entryPointProblems } from './entry-point-problems.js';

describe('entryPointProblems', () => {
  it('names an entry that is missing or resolves built code before sources', () => {
    const manifest = {
      exports: {
        './presets': { types: './dist/presets.d.ts', default: './dist/presets.js' },
      },
    };
    expect(entryPointProblems(manifest, ['./internal', './presets'])).toEqual([
      expect.stringContaining('./internal should export'),
      expect.stringContaining('./presets should export'),
    ]);
  });
});
