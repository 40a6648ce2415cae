import { randomBytes } from 'node:crypto';
import { encodeFrame } from './encode-frame.js';
import { type EventPosition, formatEventId } from './event-id.js';
import { EventRing } from './event-ring.js';
import type { GatewayEventSource, PublishInput, ReplayResult, StreamEvent } from './event-source.js';
import { createSubjectHandlers } from './subject-handlers.js';

export interface MemoryEventSourceOptions {
  /** Events kept for resume; older ones are gone and a resume from before them gets `reset`. */
  retainEvents?: number;
  /** Bytes of encoded frames kept for resume; 16 MiB by default. */
  retainBytes?: number;
}

/**
 * The embedded default: events live in this process only. Its epoch is random per process, so a
 * client that resumes after a restart gets an explicit `reset` rather than a silent gap.
 */
export function createMemoryEventSource(options: MemoryEventSourceOptions = {}): GatewayEventSource {
  const epoch = randomBytes(6).toString('base64url');
  const ring = new EventRing(options.retainEvents ?? 10_000, 0, options.retainBytes);
  const handlers = createSubjectHandlers();
  let sequence = 0;
  let closed = false;

  return {
    subscribe: handlers.subscribe,
    head() {
      return { epoch, sequence };
    },
    async replay(subjects, after: EventPosition): Promise<ReplayResult> {
      if (after.epoch !== epoch) return { kind: 'reset', reason: 'epoch' };
      if (after.sequence > sequence) return { kind: 'reset', reason: 'future' };
      if (after.sequence < ring.completeAfter) return { kind: 'reset', reason: 'expired' };
      return { kind: 'events', events: ring.after(after.sequence, new Set(subjects)), source: 'memory' };
    },
    async publish(input: PublishInput) {
      if (closed) throw new Error('memory event source is closed');
      sequence++;
      const position = { epoch, sequence };
      const id = formatEventId(position);
      const event: StreamEvent = {
        id,
        position,
        subject: input.subject,
        type: input.type,
        data: input.data,
        frame: encodeFrame({ id, event: input.type, data: input.data }),
      };
      ring.push(event);
      handlers.dispatch(event);
      return event;
    },
    async check() {
      if (closed) throw new Error('memory event source is closed');
    },
    async close() {
      closed = true;
      handlers.clear();
    },
  };
}
