import { readFileSync } from 'node:fs';
import { diffErrorTable, type ErrorCodeTable, parseErrorTable } from '@interlink/core';
import { describe, expect, it } from 'vitest';

const docsFile = new URL('../../../../docs/errors.md', import.meta.url);

/**
 * The test every package with error codes runs: docs/errors.md lists each of its codes with its
 * HTTP status and nothing more for it, a new code fails the test until documented, every code
 * carries the package's one prefix, and no code appears twice across packages.
 */
export function describeErrorTable(packageName: string, codes: ErrorCodeTable, prefix: string): void {
  const rows = () => parseErrorTable(readFileSync(docsFile, 'utf8'));

  describe(`docs/errors.md for ${packageName}`, () => {
    it(`lists every ${packageName} code with its status, and nothing else for it`, () => {
      expect(diffErrorTable(packageName, codes, rows())).toEqual([]);
    });

    it('catches a code missing from the docs', () => {
      const table = { ...codes, [`${prefix}NEW_ONE`]: { status: 400, title: 'New' } };
      expect(diffErrorTable(packageName, table, rows())).toEqual([
        `${prefix}NEW_ONE is not in docs/errors.md`,
      ]);
    });

    it(`uses one prefix, ${prefix}, so its codes cannot collide with other packages`, () => {
      expect(Object.keys(codes).length).toBeGreaterThan(0);
      for (const code of Object.keys(codes)) expect(code).toMatch(new RegExp(`^${prefix}`));
    });

    it('lists each code once across all packages', () => {
      const all = rows().map((r) => r.code);
      expect(all.length).toBeGreaterThan(0);
      expect(new Set(all).size).toBe(all.length);
    });
  });
}
