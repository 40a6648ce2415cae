import type { EventPosition } from './event-id.js';

/** One event as the gateway streams it. */
export interface StreamEvent {
  /** `<epoch>:<sequence>`, ordered across all subjects of the source. */
  id: string;
  position: EventPosition;
  subject: string;
  /** The SSE event name (`message` when the publisher gave none). */
  type: string;
  /** The data, as JSON text. */
  data: string;
  /** The encoded SSE frame, built once and shared by every connection. */
  frame: Buffer;
}

/** What a resume found: the events after the requested position, or that history is gone. */
export type ReplayResult =
  | { kind: 'events'; events: StreamEvent[]; source: 'memory' | 'history' }
  | { kind: 'reset'; reason: 'epoch' | 'expired' | 'future' | 'too-many' };

export interface PublishInput {
  subject: string;
  type: string;
  /** JSON text. */
  data: string;
}

/**
 * Where the gateway's events come from. Implementations deliver live events to `subscribe`
 * handlers in source order (the order of their positions) across all subjects, because a client's
 * single `Last-Event-ID` covers its user subject and its tenant subject together.
 */
export interface GatewayEventSource {
  /** Registers a live handler for one subject; returns the function that removes it. */
  subscribe(subject: string, handler: (event: StreamEvent) => void): () => void;
  /**
   * Events on `subjects` strictly after `after`, in order, up to at least every event already
   * delivered to live handlers when the call started; or a reset when they cannot all be given.
   */
  replay(subjects: readonly string[], after: EventPosition): Promise<ReplayResult>;
  /**
   * The newest position delivered to live handlers. A handler registered now receives every event
   * after it, so it is a resume point for a client that has seen no event yet.
   */
  head(): EventPosition;
  /** Publishes durably; resolves with the event's id once the source has it. */
  publish(input: PublishInput): Promise<StreamEvent>;
  /**
   * Stored messages skipped because they are not events (raw bodies from before the gateway read
   * the bus, a foreign publisher): the `sse_invalid_events_total` metric. Optional.
   */
  invalidEvents?(): number;
  /** Throws when the source cannot serve (for `GET /ready`). */
  check(): Promise<void>;
  close(): Promise<void>;
}
