import { BusError } from '../errors/bus-error-codes.js';
import { assertPattern, assertWord, topicMatches } from './topic.js';
import type { OutgoingMessage } from './transport.js';

/**
 * Events addressed to one tenant as a whole (no `userId`), or to one user of a tenant. These are
 * the two subjects a realtime client follows (seed 003: `events.{tenantId}` and
 * `events.{tenantId}.{userId}`).
 */
export interface StreamScope {
  tenantId: string;
  /** Absent: the tenant-wide events, those published without a user. */
  userId?: string;
}

/** What a positioned log holds right now. */
export interface PositionInfo {
  /**
   * Names this lifetime of the log (NATS: the stream's creation time; memory: random per broker).
   * A position is only comparable with positions of the same epoch: a recreated stream restarts
   * its sequence.
   */
  epoch: string;
  /** The oldest position still held; `last + 1` when the log is empty. */
  first: number;
  /** The newest position written; 0 before the first event. */
  last: number;
}

export interface PositionedSubscribeOptions {
  /**
   * Where to start: `new` (default) after the newest event now held, `all` from the oldest held,
   * or `{ after: n }` with the event after position `n` (a client's last seen position).
   * `{ after: n }` rejects with `ERR_BUS_POSITION_GONE` when events after `n` are no longer held.
   */
  start?: 'new' | 'all' | { after: number };
  /** Only events of these scopes; default every event. */
  scopes?: readonly StreamScope[];
  /** Only events whose type matches one of these topic patterns (`order.*`); default every type. */
  patterns?: readonly string[];
  /**
   * Ends the iteration once every matching event up to this position has been yielded (a replay);
   * by default the subscription follows new events until it is closed.
   */
  until?: number;
}

/** One stored message with its position in the log. */
export interface PositionedDelivery {
  /** Increases with every message of the log (NATS: the JetStream stream sequence). */
  position: number;
  topic: string;
  tenantId?: string;
  userId?: string;
  body: Uint8Array;
  headers: Record<string, string>;
}

/**
 * An ordered, resumable read of a log: iterate it (once) with `for await`; `close()` ends the
 * iteration and frees what it holds on the broker.
 */
export interface PositionedSubscription<T> extends AsyncIterable<T> {
  /** The position this subscription starts after: the first item has a greater position. */
  readonly startAfter: number;
  /** The log when the subscription opened. */
  readonly opened: PositionInfo;
  close(): Promise<void>;
}

/**
 * The positioned side of a transport that keeps an ordered log (NATS JetStream, memory). Brokers
 * that only have queues (RabbitMQ classic and quorum queues, Redis pub/sub) keep no positions, and
 * their transports leave `Transport.positioned` undefined.
 */
export interface PositionedLog {
  info(): Promise<PositionInfo>;
  /** Publishes like `Transport.publish` and resolves with the stored message's position. */
  publish(message: OutgoingMessage): Promise<number>;
  subscribe(options?: PositionedSubscribeOptions): Promise<PositionedSubscription<PositionedDelivery>>;
}

/** True when a message addressed to `tenantId`/`userId` belongs to one of `scopes`. */
export function inScopes(
  scopes: readonly StreamScope[] | undefined,
  tenantId: string | undefined,
  userId: string | undefined,
): boolean {
  if (!scopes) return true;
  return scopes.some((s) => s.tenantId === tenantId && s.userId === userId);
}

/**
 * The position a subscription starts after, for `start` against the log's `info`. Throws
 * `ERR_BUS_POSITION_GONE` (with `requested` and `first`) when events after `{ after }` are no longer
 * held, and `ERR_BUS_INVALID_OPTIONS` for a position that is not a non-negative integer.
 */
export function resolveStart(start: PositionedSubscribeOptions['start'], info: PositionInfo): number {
  if (start === undefined || start === 'new') return info.last;
  if (start === 'all') return info.first - 1;
  const after = start.after;
  if (!Number.isSafeInteger(after) || after < 0) {
    throw new BusError('ERR_BUS_INVALID_OPTIONS', 'start.after must be a non-negative integer position');
  }
  assertHeld(after, info);
  return after;
}

/** Throws `ERR_BUS_POSITION_GONE` unless every event after `after` is still in the log. */
export function assertHeld(after: number, info: PositionInfo): void {
  if (after + 1 < info.first) {
    throw new BusError(
      'ERR_BUS_POSITION_GONE',
      `Events after position ${after} are no longer held; the oldest is ${info.first}`,
      { extensions: { requested: after, first: info.first } },
    );
  }
}

/**
 * Checks a subscription's patterns and scopes (`ERR_BUS_INVALID_TOPIC`) before a log opens
 * anything for it.
 */
export function assertSubscribeOptions(options: PositionedSubscribeOptions): void {
  for (const p of options.patterns ?? []) assertPattern(p);
  for (const s of options.scopes ?? []) {
    assertWord(s.tenantId, 'tenant id');
    if (s.userId !== undefined) assertWord(s.userId, 'user id');
  }
}

/** True when a stored message is one a subscription with these scopes and patterns reads. */
export function isWanted(
  options: Pick<PositionedSubscribeOptions, 'scopes' | 'patterns'>,
  topic: string,
  tenantId: string | undefined,
  userId: string | undefined,
): boolean {
  if (!inScopes(options.scopes, tenantId, userId)) return false;
  return !options.patterns || options.patterns.some((p) => topicMatches(p, topic));
}

/** A stored message as a delivery: tenant and user only when it was addressed to them. */
export function positionedDelivery(
  stored: Omit<PositionedDelivery, 'tenantId' | 'userId'>,
  tenantId: string | undefined,
  userId: string | undefined,
): PositionedDelivery {
  const delivery: PositionedDelivery = stored;
  if (tenantId !== undefined) delivery.tenantId = tenantId;
  if (userId !== undefined) delivery.userId = userId;
  return delivery;
}

/**
 * A subscription whose iteration is `read()`, started by the first `for await`; a second loop
 * goes on with the same read rather than starting over.
 */
export function positionedSubscription<T>(
  startAfter: number,
  opened: PositionInfo,
  read: () => AsyncGenerator<T>,
  close: () => Promise<void>,
): PositionedSubscription<T> {
  let iterator: AsyncGenerator<T> | undefined;
  return {
    startAfter,
    opened,
    [Symbol.asyncIterator]() {
      iterator ??= read();
      return iterator;
    },
    close,
  };
}
