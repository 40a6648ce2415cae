// Mutation testing of auth's verifiers: `npm run test:mutation` (not part of `npm test`: it runs
// packages/auth's tests once per mutant, which takes tens of minutes on two cores). See
// packages/auth/README.md, "Mutation testing", for the scores and the surviving mutants.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: [
    'packages/auth/src/signatures/verify-request.ts',
    'packages/auth/src/jwt/verify-jwt.ts',
    'packages/auth/src/replay/redis-nonce-store.ts',
    'packages/auth/src/webhooks/verify-stripe-webhook.ts',
    'packages/auth/src/webhooks/compare-signature.ts',
  ],
  // Each mutant runs only the tests that covered it in the dry run.
  coverageAnalysis: 'perTest',
  // Mutants of module-level code (constants, the script text) would run every test each.
  ignoreStatic: true,
  // Mutants whose code and tests did not change since the last run keep their result
  // (reports/stryker-incremental.json, git-ignored: a second run on the same checkout re-tests only what changed).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  // Tests use the real Redis and time out refusals after a bounded wait: give a mutant room.
  timeoutMS: 10_000,
  timeoutFactor: 2,
  // Not needed by the tests (the root tsconfig's references need every package and app).
  ignorePatterns: ['bench', 'docs', 'reports'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/auth.html' },
  jsonReporter: { fileName: 'reports/mutation/auth.json' },
  thresholds: { high: 90, low: 80, break: null },
};
