// Moved to @interlink/testing; kept for the tests under events/, stream/ and internal/ until they
// import it from there. Delete with the last importer.
export { openStream, type TestStream } from '@interlink/testing/gateway';
