import { defineErrorCodes, errorClassFor } from '@interlink/core';

/**
 * The codes of `@interlink/bus`. Callers switch on these; `docs/errors.md` explains each. Codes with
 * `(not retryable)` mean an event no redelivery can fix: a transport dead-letters it at once.
 */
// ERR_BUS_MESSAGE_TOO_LARGE is never retryable: the same event encodes to the same size against the
// same limit, whether a publisher retries it or a consumer's handler that publishes it is redelivered.
export const busErrorCodes = defineErrorCodes(`
  ERR_BUS_EVENT_INVALID           400 Event does not match its schema (not retryable)
  ERR_BUS_UNKNOWN_EVENT_TYPE      400 Event type is not registered (not retryable)
  ERR_BUS_UNKNOWN_SCHEMA_VERSION  400 Event schema version is not registered (not retryable)
  ERR_BUS_SCHEMA_CONFLICT         500 Event schema registered twice
  ERR_BUS_UPCAST_FAILED           500 Event could not be upcast to the current version (not retryable)
  ERR_BUS_MALFORMED_MESSAGE       400 Message is not a valid event envelope (not retryable)
  ERR_BUS_MESSAGE_TOO_LARGE       413 Event is larger than the transport allows (not retryable)
  ERR_BUS_INVALID_TOPIC           400 Invalid topic or topic pattern
  ERR_BUS_INVALID_OPTIONS         500 Invalid bus or subscription options
  ERR_BUS_PUBLISH_FAILED          503 The broker did not confirm the publish
  ERR_BUS_CLOSED                  503 The transport is closed
  ERR_BUS_NOT_CONNECTED           503 The broker connection is down
  ERR_BUS_DEAD_LETTER_NOT_FOUND   404 Dead letter not found
  ERR_BUS_POSITION_GONE           410 The requested position is no longer held
  ERR_BUS_UNSUPPORTED             501 The transport does not support this operation
  ERR_BUS_UNSUPPORTED_SPECVERSION 400 Message is not CloudEvents 1.0 (not retryable)
`);

export type BusErrorCode = keyof typeof busErrorCodes;

/** The error class of `@interlink/bus`; status and title come from {@link busErrorCodes}. */
export class BusError extends errorClassFor('BusError', busErrorCodes) {}
