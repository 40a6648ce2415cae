import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exampleFiles,
  examplesDir,
  publishablePackages,
  repoRoot,
} from './workspace-packages.test.helper.js';

// What a platform team gets from npm: every published package packed as `npm publish` would, the
// tarballs installed into a fresh project outside the workspace, and the README examples
// type-checked there (strict, skipLibCheck: false, Node types only) and run where they need no broker.
const run = promisify(execFile);
const packages = publishablePackages();
const project = mkdtempSync(join(tmpdir(), 'interlink-packed-'));
const tarballs = join(project, 'tarballs');

interface PackResult {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}
let packed: PackResult[] = [];

beforeAll(async () => {
  mkdirSync(tarballs);
  const workspaces = packages.flatMap((pkg) => ['--workspace', pkg.dir]);
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tarballs, ...workspaces], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  packed = JSON.parse(stdout) as PackResult[];
  // What a user installs beside the packages: the libraries the examples import themselves (at the
  // workspace's versions) and Node's types; nothing else is reachable by accident of hoisting.
  const direct = [...new Set(exampleFiles().flatMap(({ file }) => bareImports(join(examplesDir, file))))]
    .filter((name) => !name.startsWith('@interlink/'))
    .map((name) => `${name}@${installedVersion(name)}`);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'fresh-project', private: true, type: 'module' }),
  );
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      '--loglevel=error',
      ...packed.map((p) => join(tarballs, p.filename)),
      `@types/node@${installedVersion('@types/node')}`,
      ...direct,
    ],
    { cwd: project, maxBuffer: 64 * 1024 * 1024 },
  );
}, 300_000);

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

function installedVersion(name: string): string {
  return JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** The packages a file imports by bare name (`ioredis`, `@nats-io/transport-node`), not `node:` ones. */
function bareImports(file: string): string[] {
  const names = [
    ...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^'.][^']*)'/gm),
  ].map((m) => m[1]!);
  return names
    .filter((name) => !name.startsWith('node:'))
    .map((name) =>
      name
        .split('/')
        .slice(0, name.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

/** The files an `exports` map points at, under every condition but the workspace's own source one. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.entries(exports).flatMap(([key, value]) =>
    key === 'interlink:source' ? [] : exportTargets(value),
  );
}

describe('the packed tarballs', () => {
  it.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    '%s ships what its manifest promises and no test code',
    (name, pkg) => {
      const result = packed.find((p) => p.name === name);
      expect(result, `${name} was not packed`).toBeDefined();
      const files = new Set(result!.files.map((f) => f.path));
      expect(
        [...files].filter((f) =>
          /\.test\.|test\.helper|(^|\/)testing\/|(^|\/)fixtures\/|conformance|faults/.test(f),
        ),
      ).toEqual([]);
      for (const file of ['LICENSE', 'README.md', 'package.json'])
        expect(files.has(file), `${name} lacks ${file}`).toBe(true);
      for (const field of ['license', 'repository', 'homepage', 'bugs', 'description']) {
        expect(pkg.manifest[field], `${name}'s package.json lacks ${field}`).toBeTruthy();
      }
      const missingTargets = exportTargets(pkg.manifest.exports).filter(
        (target) => !files.has(posix.normalize(target)),
      );
      expect(missingTargets, `${name}: exports that resolve to files it does not ship`).toEqual([]);
      const danglingMaps: string[] = [];
      for (const map of [...files].filter((f) => f.endsWith('.map'))) {
        const { sources } = JSON.parse(readFileSync(join(repoRoot, pkg.dir, map), 'utf8')) as {
          sources: string[];
        };
        for (const source of sources) {
          const shipped = posix.normalize(posix.join(posix.dirname(map), source));
          if (!files.has(shipped)) danglingMaps.push(`${map} -> ${source}`);
        }
      }
      expect(danglingMaps, `${name}: source maps that point at files it does not ship`).toEqual([]);
      const importsVitest = [...files]
        .filter((f) => f.endsWith('.js'))
        .filter((f) => /from ['"]vitest['"]/.test(readFileSync(join(repoRoot, pkg.dir, f), 'utf8')));
      expect(importsVitest).toEqual([]);
    },
  );
});

describe('the README examples against the installed packages', () => {
  const examples = exampleFiles();

  it('type-check with strict and skipLibCheck: false in a Node-only project', async () => {
    cpSync(examplesDir, join(project, 'examples'), { recursive: true });
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          types: ['node'],
          outDir: 'build',
          rootDir: 'examples',
        },
        include: ['examples/**/*.ts'],
      }),
    );
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const outcome = await run(process.execPath, [tsc, '-p', project], { cwd: project }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(outcome).toBe('');
  }, 240_000);

  it.each(examples.filter((e) => e.runs).map((e) => [e.file] as const))(
    '%s runs and exits 0',
    async (file) => {
      const script = join(project, 'build', file.replace(/\.ts$/, '.js'));
      expect(existsSync(script), `${file} was not compiled`).toBe(true);
      const { stderr } = await run(process.execPath, [script], {
        cwd: dirname(script),
        env: { ...process.env, NODE_ENV: 'development', PORT: '0' },
        timeout: 60_000,
      });
      expect(stderr).not.toMatch(/Error/);
    },
    90_000,
  );
});
