/** `@interlink/testing/entry-points`: the entry-point test every package with `./internal` or `./presets` runs (imports vitest). */
export { describeEntryPoints, type EntryPoints } from './entry-points/describe-entry-points.js';
