import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreErrorCodes } from './error-codes.js';
import { diffErrorTable, parseErrorTable } from './error-table.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('lists every @interlink/core code with its status, and nothing else for core', () => {
    expect(diffErrorTable('@interlink/core', coreErrorCodes, parseErrorTable(docs))).toEqual([]);
  });

  it('catches a code missing from the docs', () => {
    const table = { ...coreErrorCodes, ERR_NEW_ONE: { status: 400, title: 'New' } };
    expect(diffErrorTable('@interlink/core', table, parseErrorTable(docs))).toEqual([
      'ERR_NEW_ONE is not in docs/errors.md',
    ]);
  });

  it('lists each code once across all packages', () => {
    const codes = parseErrorTable(docs).map((r) => r.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
