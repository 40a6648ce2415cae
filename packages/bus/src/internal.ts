/**
 * `@interlink/bus/internal`: what Interlink's own tests and benchmarks need beyond the public
 * entry. Unstable: names here may change or go in any release. The conformance suites are not
 * here: they import vitest and stay out of the published package.
 */
export { DEAD_LETTER_HEADERS } from './dead-letters/dead-letter.js';
export { dataSchemaUri, ISO_DATE_TIME } from './envelope/event-envelope.js';
export { outboxChannel } from './outbox/outbox.js';
export { failureReason } from './transport/failure-reason.js';
export { assertPattern, assertTopic, topicMatches } from './transport/topic.js';
