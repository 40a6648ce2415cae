import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as main from './index.js';
import * as internal from './internal.js';
import { entryPointProblems } from './internal.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('@interlink/core entry points', () => {
  it('keep building blocks out of the public entry', () => {
    for (const name of ['createHexPool', 'createRandomPool']) expect(main, name).not.toHaveProperty(name);
    for (const name of ['createHexPool', 'createRandomPool', 'parseErrorTable'])
      expect(internal, name).toHaveProperty(name);
  });

  it('are each exported by package.json, sources first', () => {
    expect(entryPointProblems(manifest, ['./internal'])).toEqual([]);
  });
});
