// Moved to @interlink/testing; kept for stream/two-processes.test.ts until it imports it from there.
// Delete with the last importer.
export { buildProject } from '@interlink/testing/spawn';
