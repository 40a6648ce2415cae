import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Builds a project with `tsc -b` (incremental: quick when current) for tests that run built code in
 * a browser or a child process. Retried, because another test file or a developer's build may be
 * writing the same outputs at that moment; the last failure is thrown with tsc's output.
 */
export function buildProject(path: string, attempts = 3): void {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(`${repoRoot}node_modules/.bin/tsc`, ['-b', path], { cwd: repoRoot, stdio: 'pipe' });
      return;
    } catch (error) {
      if (attempt >= attempts) {
        const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
        throw new Error(`tsc -b ${path} failed:\n${output}`, { cause: error });
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000 * attempt);
    }
  }
}
