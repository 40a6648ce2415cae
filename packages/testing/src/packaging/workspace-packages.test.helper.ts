// Test support for the packaging tests: the publishable packages of the workspace and the example
// files their README code blocks are kept in step with (scripts/readme-examples.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const examplesDir = join(repoRoot, 'examples');

export interface WorkspacePackage {
  name: string;
  /** Folder relative to the repository root, e.g. `packages/core`. */
  dir: string;
  manifest: Record<string, unknown> & { name: string; exports?: unknown };
}

/** Every package under `packages/` that is published (not `private`). */
export function publishablePackages(): WorkspacePackage[] {
  return readdirSync(join(repoRoot, 'packages'))
    .map((folder) => `packages/${folder}`)
    .filter((dir) => existsSync(join(repoRoot, dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8'));
      return { name: manifest.name as string, dir, manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true);
}

/** Every example file (relative to `examples/`), and whether it runs without a broker. */
export function exampleFiles(): Array<{ file: string; runs: boolean }> {
  return readdirSync(examplesDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => ({
      file,
      // An example that needs a broker or a database says so on its first line and is only type-checked.
      runs: !/^\/\/ Needs /.test(readFileSync(join(examplesDir, file), 'utf8')),
    }));
}
