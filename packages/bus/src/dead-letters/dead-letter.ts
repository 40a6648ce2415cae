/** A message a consumer group gave up on, with why and after how many deliveries. */
export interface DeadLetter {
  /** The dead letter's own id (what `get`, `replay` and `purge` take). */
  id: string;
  /** The event id of the message. */
  eventId: string;
  topic: string;
  /** The consumer group that failed it; replay goes back to this group. */
  group: string;
  reason: string;
  /** The error code when the failure had one (`ERR_BUS_EVENT_INVALID`). */
  code?: string;
  attempts: number;
  /** ISO time of the dead-lettering. */
  failedAt: string;
  body: Uint8Array;
  headers: Record<string, string>;
}

export interface ListDeadLettersOptions {
  /** Only this consumer group's dead letters. */
  group?: string;
  /** At most this many, oldest first; default 100. */
  limit?: number;
}

/** List, inspect, replay and purge dead letters; the same API over every durable transport. */
export interface DeadLetterStore {
  list(options?: ListDeadLettersOptions): Promise<DeadLetter[]>;
  /** Throws `ERR_BUS_DEAD_LETTER_NOT_FOUND`. */
  get(id: string): Promise<DeadLetter>;
  /** Sends the message back to its group's destination and removes the dead letter. */
  replay(id: string): Promise<void>;
  /** Removes one dead letter, or all of them; resolves to how many were removed. */
  purge(id?: string): Promise<number>;
}

/** Dead-letter headers carried on brokers that store dead letters as messages. */
export const DEAD_LETTER_HEADERS = {
  reason: 'interlink-dead-reason',
  code: 'interlink-dead-code',
  attempts: 'interlink-dead-attempts',
  group: 'interlink-dead-group',
  topic: 'interlink-dead-topic',
  failedAt: 'interlink-dead-at',
  eventId: 'interlink-event-id',
} as const;
