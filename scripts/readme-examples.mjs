#!/usr/bin/env node
// Keeps the code blocks of the published packages' READMEs in step with the files under examples/,
// which the packaging test type-checks against the packed packages and runs. Every ```ts or ```js
// block of a package README must have `<!-- example: <file>[#region] -->` above it, naming a file
// under examples/ (or the lines between `// #region <name>` and `// #endregion <name>` in it).
//   node scripts/readme-examples.mjs          rewrite the blocks from the files
//   node scripts/readme-examples.mjs --check  list blocks that differ or have no file; exit 1 if any
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const FENCE = /^```(\w*)\s*$/;
const MARKER = /^<!--\s*example:\s*([\w./-]+?)(?:#([\w-]+))?\s*-->$/;
const CODE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);

function exampleText(file, region) {
  const path = join(root, 'examples', file);
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');
  if (region === undefined) return lines;
  const start = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  const end = lines.findIndex((line, i) => i > start && line.trim() === `// #endregion ${region}`);
  return start < 0 || end < 0 ? undefined : lines.slice(start + 1, end);
}

const problems = [];
for (const folder of readdirSync(join(root, 'packages'))) {
  const manifest = join(root, 'packages', folder, 'package.json');
  if (!existsSync(manifest) || JSON.parse(readFileSync(manifest, 'utf8')).private) continue;
  const readme = `packages/${folder}/README.md`;
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) {
      out.push(lines[i]);
      continue;
    }
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    let block = lines.slice(i + 1, end);
    if (CODE.has(open[1])) {
      let above = out.length - 1;
      while (above >= 0 && out[above].trim() === '') above--;
      const marker = above >= 0 ? MARKER.exec(out[above].trim()) : null;
      const example = marker ? exampleText(marker[1], marker[2]) : undefined;
      if (!marker) problems.push(`${readme}:${i + 1}: no <!-- example: <file>[#region] --> above this block`);
      else if (!example)
        problems.push(
          `${readme}:${i + 1}: examples/${marker[1]}${marker[2] ? `#${marker[2]}` : ''} not found`,
        );
      else if (example.join('\n') !== block.join('\n')) {
        problems.push(
          `${readme}:${i + 1}: differs from examples/${marker[1]}${marker[2] ? `#${marker[2]}` : ''}`,
        );
        block = example;
      }
    }
    out.push(lines[i], ...block, lines[end]);
    i = end;
  }
  if (!check) writeFileSync(join(root, readme), out.join('\n'));
}
for (const problem of problems) console.log(problem);
if (check && problems.length > 0) {
  console.log('run `npm run examples:sync` to copy the example files into the READMEs');
  process.exit(1);
}
