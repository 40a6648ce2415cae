import type { ErrorCodeTable } from './error-codes.js';

/** One row of the error table in `docs/errors.md`. */
export interface ErrorTableRow {
  code: string;
  status: number;
  package: string;
}

/**
 * Reads the rows of the error table in `docs/errors.md` (`| code | status | package | ... |`), so a
 * test can hold the documentation and the code in step.
 */
export function parseErrorTable(markdown: string): ErrorTableRow[] {
  const rows: ErrorTableRow[] = [];
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`(ERR_[A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|\s*`?(@?[\w/-]+)`?\s*\|/.exec(line);
    if (match) rows.push({ code: match[1]!, status: Number(match[2]), package: match[3]! });
  }
  return rows;
}

/**
 * Differences between a package's code table and the documented rows for that package: codes
 * missing from the docs, documented codes the package no longer has, and status mismatches.
 */
export function diffErrorTable(pkg: string, table: ErrorCodeTable, rows: readonly ErrorTableRow[]): string[] {
  const problems: string[] = [];
  const documented = new Map(rows.filter((r) => r.package === pkg).map((r) => [r.code, r]));
  for (const [code, info] of Object.entries(table)) {
    const row = documented.get(code);
    if (!row) problems.push(`${code} is not in docs/errors.md`);
    else if (row.status !== info.status)
      problems.push(`${code}: docs say ${row.status}, code says ${info.status}`);
  }
  for (const code of documented.keys()) {
    if (!(code in table)) problems.push(`${code} is documented for ${pkg} but not defined`);
  }
  return problems;
}
