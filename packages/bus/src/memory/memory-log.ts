import { randomBytes } from 'node:crypto';
import {
  assertHeld,
  assertSubscribeOptions,
  isWanted,
  type PositionedDelivery,
  type PositionedSubscribeOptions,
  type PositionedSubscription,
  type PositionInfo,
  positionedDelivery,
  positionedSubscription,
  resolveStart,
} from '../transport/positioned.js';
import type { OutgoingMessage } from '../transport/transport.js';

interface Entry {
  position: number;
  message: OutgoingMessage;
}

/** The memory broker's ordered history: the newest `retain` messages, each with its position. */
export interface MemoryLog {
  info(): PositionInfo;
  /** Stores a message and returns its position (1, 2, 3, …). */
  append(message: OutgoingMessage): number;
  subscribe(options: PositionedSubscribeOptions): PositionedSubscription<PositionedDelivery>;
}

export function createMemoryLog(retain: number): MemoryLog {
  // Random per broker, as a recreated stream has a new creation time: positions of another
  // process's log are never taken for this one's.
  const epoch = randomBytes(6).toString('base64url');
  let entries: Entry[] = [];
  let start = 0;
  let last = 0;
  const waiting = new Set<() => void>();

  function info(): PositionInfo {
    return { epoch, first: entries[start]?.position ?? last + 1, last };
  }

  /** The entry at `position`, if still held: positions are contiguous, so it is found by index. */
  function at(position: number): Entry | undefined {
    const first = entries[start]?.position;
    return first === undefined ? undefined : entries[start + position - first];
  }

  return {
    info,
    append(message) {
      entries.push({ position: ++last, message });
      if (entries.length - start > retain) {
        entries[start++] = undefined as never;
        // Compact now and then, so dropping the oldest stays O(1) amortized.
        if (start >= retain) {
          entries = entries.slice(start);
          start = 0;
        }
      }
      for (const wake of waiting) wake();
      waiting.clear();
      return last;
    },
    subscribe(options) {
      assertSubscribeOptions(options);
      const opened = info();
      const startAfter = resolveStart(options.start, opened);
      const { until } = options;
      let closed = false;
      let wake: (() => void) | undefined;

      async function* read(): AsyncGenerator<PositionedDelivery> {
        let cursor = startAfter;
        while (!closed && (until === undefined || cursor < until)) {
          // A reader slower than the retention loses its place: said, never skipped silently.
          assertHeld(cursor, info());
          const entry = at(cursor + 1);
          if (!entry) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              waiting.add(resolve);
            });
            continue;
          }
          cursor = entry.position;
          const { message } = entry;
          if (!isWanted(options, message.topic, message.tenantId, message.userId)) continue;
          yield positionedDelivery(
            {
              position: entry.position,
              topic: message.topic,
              body: message.body,
              headers: { ...message.headers },
            },
            message.tenantId,
            message.userId,
          );
        }
      }

      return positionedSubscription(startAfter, opened, read, async () => {
        closed = true;
        if (wake) {
          waiting.delete(wake);
          wake();
        }
      });
    },
  };
}
