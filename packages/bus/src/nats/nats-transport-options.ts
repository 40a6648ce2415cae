import type { NatsConnection } from '@nats-io/transport-node';
import type { SubjectScheme } from './subject-scheme.js';

export interface NatsTransportOptions {
  /** Server URL(s); default `nats://127.0.0.1:4222`. Ignored when `connection` is given. */
  servers?: string | string[];
  /**
   * An existing connection; the transport then leaves closing it to the caller. Open it with
   * `noAsyncTraces: true` as the transport does for its own: the client's requests (consumer
   * pulls, management calls) then cost less CPU.
   */
  connection?: NatsConnection;
  /**
   * The inbox prefix `connection` was opened with (`inboxPrefix` of nats.js's `connect`), when
   * subject permissions need one: publish acknowledgements are received under it. Default `_INBOX`.
   */
  inboxPrefix?: string;
  /** The event stream; default `EVENTS` (seed 003). */
  stream?: string;
  /** First subject token; default `events` (seed 003's `events.{tenantId}...`). */
  subjectPrefix?: string;
  /**
   * How events sit on subjects: `BUS_SUBJECT_SCHEME` (default, `<prefix>.<tenant>.<user>.<type>`)
   * or `SEED_003_SUBJECT_SCHEME` (`<prefix>.<tenant>[.<user>]`, the type in a header).
   */
  subjects?: SubjectScheme;
  /** Default `<stream>_DLQ`. */
  deadLetterStream?: string;
  /** Default `<subjectPrefix>_dlq`. */
  deadLetterPrefix?: string;
  /** Largest event accepted; default 1 MiB, never above the server's `max_payload`. */
  maxBytes?: number;
  /** How long a delivery may stay unacknowledged before redelivery; kept alive while a handler runs. */
  ackWaitMs?: number;
  /** The stream's `Nats-Msg-Id` deduplication window; default 2 min. */
  duplicateWindowMs?: number;
  /** Retention of an event stream this transport creates (an existing stream keeps its own). */
  retention?: { maxMessages?: number; maxAgeMs?: number };
  /** Where a new consumer group starts: `new` (default) or `all` retained events. */
  deliverPolicy?: 'new' | 'all';
  /** Stream storage; default `file`. */
  storage?: 'file' | 'memory';
  /** Lifetime of each pull request; bounds how long a consumer stalls after a reconnect. Default 5 s. */
  pullExpiresMs?: number;
  /** How long publish waits for the stream's acknowledgement; default 5 s. */
  publishTimeoutMs?: number;
}
