import { readFileSync } from 'node:fs';
import { diffErrorTable, parseErrorTable } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { busErrorCodes } from './bus-error-codes.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('lists every @interlink/bus code with its status, and nothing else for bus', () => {
    expect(diffErrorTable('@interlink/bus', busErrorCodes, parseErrorTable(docs))).toEqual([]);
  });

  it('catches a code missing from the docs', () => {
    const table = { ...busErrorCodes, ERR_BUS_NEW_ONE: { status: 400, title: 'New' } };
    expect(diffErrorTable('@interlink/bus', table, parseErrorTable(docs))).toEqual([
      'ERR_BUS_NEW_ONE is not in docs/errors.md',
    ]);
  });

  it('lists each code once across all packages', () => {
    const codes = parseErrorTable(docs).map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
