/** `@interlink/testing/errors`: the error-code table test every package with codes runs (imports vitest). */
export { describeErrorTable } from './errors/describe-error-table.js';
