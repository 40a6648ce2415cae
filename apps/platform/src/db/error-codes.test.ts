import { readFileSync } from 'node:fs';
import { diffErrorTable, parseErrorTable } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { platformErrorCodes } from '../service/platform-error-codes.js';
import { databaseErrorCodes } from './database-error-codes.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('lists every code of the platform (database layer and services) with its status', () => {
    const codes = { ...databaseErrorCodes, ...platformErrorCodes };
    expect(diffErrorTable('@interlink/platform', codes, parseErrorTable(docs))).toEqual([]);
  });
});
