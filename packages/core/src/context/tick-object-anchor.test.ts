import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tickObjectAnchor } from './request-context.js';

const fixture = fileURLToPath(new URL('./fixtures/tick-feedback.mjs', import.meta.url));

/** The states of V8's feedback for the literal that `process.nextTick` builds each entry with. */
function nextTickLiteralFeedback(mode: 'core' | 'plain'): string[] {
  // V8 prints with C stdio, which can lose the end of its output on a non-blocking pipe: use a file.
  const dir = mkdtempSync(join(tmpdir(), 'tick-feedback-'));
  const file = join(dir, 'out.txt');
  const fd = openSync(file, 'w');
  try {
    execFileSync(
      process.execPath,
      [
        '--allow-natives-syntax',
        '--expose-gc',
        '--conditions=interlink:source',
        '--import',
        'tsx',
        fixture,
        mode,
      ],
      { stdio: ['ignore', fd, 'inherit'] },
    );
    const out = readFileSync(file, 'utf8');
    return [...out.matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1]!);
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tick object anchor', () => {
  it('holds a nextTick queue entry', () => {
    expect(tickObjectAnchor).toBeTypeOf('object');
  });

  it('keeps nextTick on its fast path across full GCs that find no queue entry alive', () => {
    // Without the anchor the scenario turns the feedback megamorphic: checked so this test can fail.
    const plain = nextTickLiteralFeedback('plain');
    expect(plain.length, 'V8 printed no feedback for the nextTick literal').toBeGreaterThan(0);
    expect(plain).toContain('MEGAMORPHIC');
    const withCore = nextTickLiteralFeedback('core');
    expect(withCore.length).toBeGreaterThan(0);
    expect(withCore).not.toContain('MEGAMORPHIC');
  }, 60_000);
});
