/** The part of a package.json that says what can be imported. */
export interface PackageManifest {
  exports?: Record<string, unknown>;
}

/**
 * What is wrong with how `manifest` exports each subpath of `entries` (`./internal`): every entry
 * resolves to its source under the `interlink:source` condition first, then to its built types and
 * code, the same shape as `.`. An empty list when all is well, so a test can hold it to `[]`.
 */
export function entryPointProblems(manifest: PackageManifest, entries: readonly string[]): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    const file = entry.slice(2);
    const expected = {
      'interlink:source': `./src/${file}.ts`,
      types: `./dist/${file}.d.ts`,
      default: `./dist/${file}.js`,
    };
    const actual = manifest.exports?.[entry];
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      problems.push(`${entry} should export ${JSON.stringify(expected)}, not ${JSON.stringify(actual)}`);
  }
  return problems;
}
