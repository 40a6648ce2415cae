import { type Bus, BusError, type PositionedEvent, type PositionedSubscription } from '@interlink/bus';
import { encodeFrame } from './encode-frame.js';
import { type EventPosition, formatEventId } from './event-id.js';
import { EventRing } from './event-ring.js';
import type { GatewayEventSource, PublishInput, ReplayResult, StreamEvent } from './event-source.js';
import { createSubjectHandlers } from './subject-handlers.js';
import { tenantSubject, userSubject } from './subjects.js';

export interface BusEventSourceOptions {
  /**
   * A bus on a transport that keeps positions (NATS JetStream or memory), its registry built with
   * `{ unknownTypes: 'pass' }` so that any event type a service publishes reaches browsers.
   */
  bus: Bus;
  /** The gateway subject prefix the stream route subscribes under; `events` (seed 003) by default. */
  subjectPrefix?: string;
  /** Recent events kept in memory for fast resume; 10,000 by default. */
  memoryEvents?: number;
  /** Bytes of recent frames kept in memory; 16 MiB by default. */
  memoryBytes?: number;
  /** A resume needing more events than this from history gets `reset`; 10,000 by default. */
  maxReplayEvents?: number;
  /**
   * How far the live read may fall behind this source's own publishes before `publish` waits for
   * it; 1,000 by default, and keep it below what the log retains. An in-process publisher in a tight
   * loop (on the memory transport every step is a microtask) would otherwise outrun the live read
   * until the log dropped its place (`ERR_BUS_POSITION_GONE`), ending live delivery.
   */
  maxPublishLag?: number;
  /**
   * Told about a stored message that is not an event (a raw body written before the gateway moved
   * to the bus, or a foreign publisher); the message is skipped. Counted in `invalidEvents()` too.
   */
  onInvalid?: (position: number, error: unknown) => void;
}

/** The event source over a bus; it counts the stored messages it skipped as not events. */
export interface BusEventSource extends GatewayEventSource {
  invalidEvents(): number;
}

interface Scope {
  tenantId: string;
  userId?: string;
}

/**
 * The gateway's events from `@interlink/bus` positioned subscriptions. Ids are `<epoch>:<position>`
 * with the bus's epoch (on NATS derived from the stream's creation time as before the move, so ids
 * issued earlier keep their meaning; random per broker on memory).
 *
 * Live delivery is ONE positioned subscription per instance over every tenant and user, dispatched
 * locally to the subjects that have connections: a client resumes its user and tenant subjects from
 * one `Last-Event-ID`, so both must be in one order. Resume reads the memory ring when it reaches
 * back far enough, else one bounded positioned read of the client's two scopes.
 */
export async function createBusEventSource(options: BusEventSourceOptions): Promise<BusEventSource> {
  const { bus } = options;
  const prefix = options.subjectPrefix ?? 'events';
  const maxReplayEvents = options.maxReplayEvents ?? 10_000;
  const maxPublishLag = options.maxPublishLag ?? 1000;
  let invalid = 0;
  const onInvalid = (position: number, error: unknown) => {
    invalid++;
    options.onInvalid?.(position, error);
  };

  function toStreamEvent(
    epoch: string,
    { position: sequence, event }: PositionedEvent,
  ): StreamEvent | undefined {
    // An event without a tenant reaches no browser: every gateway subject is a tenant's or a user's.
    if (event.tenantid === undefined) return undefined;
    const position = { epoch, sequence };
    const id = formatEventId(position);
    const data = JSON.stringify(event.data ?? null);
    return {
      id,
      position,
      subject:
        event.userid === undefined
          ? tenantSubject(prefix, event.tenantid)
          : userSubject(prefix, event.tenantid, event.userid),
      type: event.type,
      data,
      frame: encodeFrame({ id, event: event.type, data }),
    };
  }

  /** `{prefix}.{t}` or `{prefix}.{t}.{u}` (built by the stream route from checked ids): its scope. */
  function scopeOf(subject: string): Scope {
    const [, tenantId = '', userId] = subject.split('.');
    return userId === undefined ? { tenantId } : { tenantId, userId };
  }

  const live = await bus.positioned.subscribe({ start: 'new', onInvalid });
  const { epoch } = live.opened;
  const ring = new EventRing(options.memoryEvents ?? 10_000, live.startAfter, options.memoryBytes);
  const handlers = createSubjectHandlers();
  let delivered = live.startAfter;
  let closing = false;
  let liveFailure: Error | undefined;
  // Publishes waiting for the live read to reach a position (see `maxPublishLag`).
  let waiting: Array<{ position: number; resume: () => void }> = [];
  const release = (all: boolean) => {
    const still = [];
    for (const w of waiting) {
      if (all || w.position <= delivered) w.resume();
      else still.push(w);
    }
    waiting = still;
  };
  const pump = (async () => {
    for await (const item of live) {
      const event = toStreamEvent(epoch, item);
      delivered = item.position;
      if (waiting.length > 0) release(false);
      if (!event) continue;
      ring.push(event);
      handlers.dispatch(event);
    }
  })().then(
    () => {
      // The live subscription only ends when closed; ending otherwise means live delivery stopped.
      if (!closing) liveFailure = new Error('the live bus subscription stopped');
      release(true);
    },
    (error: unknown) => {
      liveFailure = error instanceof Error ? error : new Error(String(error));
      release(true);
    },
  );

  function liveReached(position: number): Promise<void> | undefined {
    if (position <= delivered || closing || liveFailure) return undefined;
    return new Promise((resume) => waiting.push({ position, resume }));
  }

  async function readHistory(subjects: readonly string[], after: number): Promise<ReplayResult> {
    const { last } = await bus.positioned.info();
    if (after > last) return { kind: 'reset', reason: 'future' };
    let missed: PositionedSubscription<PositionedEvent>;
    try {
      missed = await bus.positioned.subscribe({
        start: { after },
        scopes: subjects.map(scopeOf),
        // Everything delivered live when the resume started is at or before `last`.
        until: last,
        onInvalid,
      });
    } catch (error) {
      if (error instanceof BusError && error.code === 'ERR_BUS_POSITION_GONE') {
        return { kind: 'reset', reason: 'expired' };
      }
      throw error;
    }
    const events: StreamEvent[] = [];
    // The scopes' filters may hold events routed elsewhere (another user's event on an entity
    // subject): keep the client's subjects, as live delivery and the memory ring do.
    const wanted = new Set(subjects);
    try {
      for await (const item of missed) {
        const event = toStreamEvent(epoch, item);
        if (event && wanted.has(event.subject)) events.push(event);
        if (events.length > maxReplayEvents) return { kind: 'reset', reason: 'too-many' };
      }
    } catch (error) {
      // The memory log says so when history ages out during the read.
      if (error instanceof BusError && error.code === 'ERR_BUS_POSITION_GONE') {
        return { kind: 'reset', reason: 'expired' };
      }
      throw error;
    } finally {
      // Frees the read's consumer at once, the early returns included.
      await missed.close();
    }
    return { kind: 'events', events, source: 'history' };
  }

  return {
    subscribe: handlers.subscribe,
    head() {
      return { epoch, sequence: delivered };
    },
    async replay(subjects, after: EventPosition): Promise<ReplayResult> {
      if (after.epoch !== epoch) return { kind: 'reset', reason: 'epoch' };
      if (after.sequence > delivered) {
        // Ahead of this instance: either its live read lags the instance the client left (the
        // client has those events, and newer ones arrive live) or the id is from nowhere.
        const { last } = await bus.positioned.info();
        if (after.sequence > last) return { kind: 'reset', reason: 'future' };
        return { kind: 'events', events: [], source: 'memory' };
      }
      if (after.sequence >= ring.completeAfter) {
        // Everything after `completeAfter` that reached this instance is in the ring, and anything
        // newer reaches the connection live: memory alone is complete.
        return { kind: 'events', events: ring.after(after.sequence, new Set(subjects)), source: 'memory' };
      }
      return readHistory(subjects, after.sequence);
    },
    async publish(input: PublishInput): Promise<StreamEvent> {
      const { tenantId, userId } = scopeOf(input.subject);
      const published = await bus.positioned.publish({
        type: input.type,
        tenantId,
        ...(userId === undefined ? {} : { userId }),
        data: JSON.parse(input.data) as unknown,
      });
      // Back-pressure on an in-process publisher that outruns this instance's live read.
      await liveReached(published.position - maxPublishLag);
      return toStreamEvent(epoch, published)!;
    },
    async check() {
      if (liveFailure) throw liveFailure;
      await bus.positioned.info();
    },
    invalidEvents: () => invalid,
    async close() {
      closing = true;
      handlers.clear();
      release(true);
      await live.close();
      await pump;
    },
  };
}
