import { readFileSync } from 'node:fs';
import { diffErrorTable, parseErrorTable } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { jobsErrorCodes } from './jobs-error-codes.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('lists every @interlink/jobs code with its status, and nothing else for jobs', () => {
    expect(diffErrorTable('@interlink/jobs', jobsErrorCodes, parseErrorTable(docs))).toEqual([]);
  });

  it('catches a code missing from the docs', () => {
    const table = { ...jobsErrorCodes, ERR_JOB_NEW_ONE: { status: 400, title: 'New' } };
    expect(diffErrorTable('@interlink/jobs', table, parseErrorTable(docs))).toEqual([
      'ERR_JOB_NEW_ONE is not in docs/errors.md',
    ]);
  });

  it('uses one prefix, ERR_JOB_, so its codes cannot collide with other packages', () => {
    for (const code of Object.keys(jobsErrorCodes)) expect(code).toMatch(/^ERR_JOB_/);
  });
});
