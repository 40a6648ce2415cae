import { type ErrorCodeTable, errorClassFor } from '@interlink/core';

/**
 * The codes of `@interlink/bus`. Callers switch on these; `docs/errors.md` explains each. Codes with
 * `retryable: false` mean an event no redelivery can fix: a transport dead-letters it at once.
 */
export const busErrorCodes = {
  ERR_BUS_EVENT_INVALID: { status: 400, title: 'Event does not match its schema', retryable: false },
  ERR_BUS_UNKNOWN_EVENT_TYPE: { status: 400, title: 'Event type is not registered', retryable: false },
  ERR_BUS_UNKNOWN_SCHEMA_VERSION: {
    status: 400,
    title: 'Event schema version is not registered',
    retryable: false,
  },
  ERR_BUS_SCHEMA_CONFLICT: { status: 500, title: 'Event schema registered twice' },
  ERR_BUS_UPCAST_FAILED: {
    status: 500,
    title: 'Event could not be upcast to the current version',
    retryable: false,
  },
  ERR_BUS_MALFORMED_MESSAGE: {
    status: 400,
    title: 'Message is not a valid event envelope',
    retryable: false,
  },
  // Never retryable: the same event encodes to the same size against the same limit, whether a
  // publisher retries it or a consumer's handler that publishes it is redelivered.
  ERR_BUS_MESSAGE_TOO_LARGE: {
    status: 413,
    title: 'Event is larger than the transport allows',
    retryable: false,
  },
  ERR_BUS_INVALID_TOPIC: { status: 400, title: 'Invalid topic or topic pattern' },
  ERR_BUS_INVALID_OPTIONS: { status: 500, title: 'Invalid bus or subscription options' },
  ERR_BUS_PUBLISH_FAILED: { status: 503, title: 'The broker did not confirm the publish' },
  ERR_BUS_CLOSED: { status: 503, title: 'The transport is closed' },
  ERR_BUS_NOT_CONNECTED: { status: 503, title: 'The broker connection is down' },
  ERR_BUS_DEAD_LETTER_NOT_FOUND: { status: 404, title: 'Dead letter not found' },
  ERR_BUS_POSITION_GONE: { status: 410, title: 'The requested position is no longer held' },
  ERR_BUS_UNSUPPORTED: { status: 501, title: 'The transport does not support this operation' },
  ERR_BUS_UNSUPPORTED_SPECVERSION: { status: 400, title: 'Message is not CloudEvents 1.0', retryable: false },
} as const satisfies ErrorCodeTable;

export type BusErrorCode = keyof typeof busErrorCodes;

/** The error class of `@interlink/bus`; status and title come from {@link busErrorCodes}. */
export const BusError = errorClassFor('BusError', busErrorCodes);
export type BusError = InstanceType<typeof BusError>;
