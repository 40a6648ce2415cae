import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { repoRoot } from './workspace-packages.test.helper.js';

// Every code block of a published package's README is (a region of) a file under examples/, which
// the packaging test type-checks against the packed packages and runs: a README cannot show code
// that does not compile.
it('every README code block is an example file, word for word', async () => {
  const outcome = await promisify(execFile)(process.execPath, [
    join(repoRoot, 'scripts/readme-examples.mjs'),
    '--check',
  ]).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );
  expect(outcome).toBe('');
});
