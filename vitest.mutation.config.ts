import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:mutation` (stryker.config.mjs): Stryker runs packages/auth's tests only, never the
// whole suite, against each mutant of the auth files it mutates. The property tests are left out:
// with 10,000 to 100,000 generated inputs each they would run for every mutant they reach, and
// they pin no outcome the example tests do not (they check that nothing but AuthError escapes).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/auth/src/**/*.test.ts'],
    exclude: [...(base.test?.exclude ?? []), '**/*.property.test.ts'],
    // Instrumented code on two shared cores: the tests generating thousands of cases need room.
    testTimeout: 120_000,
  },
});
