/**
 * Remembers which events each consumer group has processed (seed 002: 24 h), so a redelivered or
 * duplicated event is handled once per group.
 */
export interface Inbox {
  /** True the first time `group` claims `eventId` within the retention; false for a duplicate. */
  claim(group: string, eventId: string): Promise<boolean>;
  /** Forgets a claim, so a handler that failed after claiming can be retried. */
  release(group: string, eventId: string): Promise<void>;
}

/** Seed 002's idempotency window. */
export const DEFAULT_INBOX_TTL_MS = 24 * 60 * 60 * 1000;
