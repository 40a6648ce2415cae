import { readFileSync } from 'node:fs';
import { entryPointProblems } from '@interlink/core/internal';
import { describe, expect, it } from 'vitest';

/** What a package's entry points hold, for {@link describeEntryPoints}. */
export interface EntryPoints {
  /** The package's package.json: `new URL('../package.json', import.meta.url)`. */
  manifest: URL;
  /** The public entry's module (`import * as main from './index.js'`). */
  main: object;
  /** Names the public entry must not export: building blocks and seed presets. */
  notInMain: readonly string[];
  /** Each other entry by subpath (`./internal`), with its module and names it must export. */
  entries: Record<string, { module: object; exports: readonly string[] }>;
}

/**
 * The entry-point test each package with `./internal` or `./presets` entries runs: building
 * blocks and seed presets stay out of the public entry and are where they belong, and
 * package.json exports each entry with its sources first ({@link entryPointProblems}).
 */
export function describeEntryPoints(packageName: string, entryPoints: EntryPoints): void {
  const manifest = JSON.parse(readFileSync(entryPoints.manifest, 'utf8'));

  describe(`${packageName} entry points`, () => {
    it('keep building blocks and seed presets out of the public entry', () => {
      for (const name of entryPoints.notInMain) expect(entryPoints.main, name).not.toHaveProperty(name);
      for (const { module, exports } of Object.values(entryPoints.entries)) {
        for (const name of exports) expect(module, name).toHaveProperty(name);
      }
    });

    it('are each exported by package.json, sources first', () => {
      expect(entryPointProblems(manifest, Object.keys(entryPoints.entries))).toEqual([]);
    });
  });
}
