/**
 * `@interlink/core/internal`: what Interlink's own packages, tests and benchmarks need beyond the
 * public entry. Unstable: names here may change or go in any release.
 */
export { diffErrorTable, type ErrorTableRow, parseErrorTable } from './errors/error-table.js';
export {
  entryPointProblems,
  type PackageManifest,
} from './manifest/entry-point-problems.js';
export { createHexPool, createRandomPool } from './trace/random-pool.js';
