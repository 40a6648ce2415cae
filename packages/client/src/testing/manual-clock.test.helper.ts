import type { Clock } from '../client/clock.js';

/** A clock that moves only when told: `advance` runs the waits that fall due. */
export interface ManualClock extends Clock {
  /** Every wait asked for, in milliseconds, in order. */
  readonly sleeps: number[];
  advance(ms: number): void;
  /** Resolves once `count` waits have been asked for in all. */
  sleepsAsked(count: number): Promise<void>;
}

export function manualClock(start = Date.now()): ManualClock {
  let now = start;
  const sleeps: number[] = [];
  const pending: Array<{ at: number; resolve: () => void }> = [];
  const watchers: Array<{ count: number; resolve: () => void }> = [];
  return {
    sleeps,
    now: () => now,
    sleep(ms, signal) {
      sleeps.push(ms);
      for (const w of watchers.filter((x) => sleeps.length >= x.count)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const entry = { at: now + ms, resolve };
        pending.push(entry);
        signal.addEventListener(
          'abort',
          () => {
            pending.splice(pending.indexOf(entry), 1);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    advance(ms) {
      now += ms;
      for (const entry of pending.filter((p) => p.at <= now)) {
        pending.splice(pending.indexOf(entry), 1);
        entry.resolve();
      }
    },
    sleepsAsked(count) {
      if (sleeps.length >= count) return Promise.resolve();
      return new Promise((resolve) => watchers.push({ count, resolve }));
    },
  };
}

/** A clock whose every wait passes at once, moving time forward by its length. */
export function steppingClock(start = Date.now()): Clock & { readonly sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep(ms, signal) {
      sleeps.push(ms);
      if (signal.aborted) return Promise.reject(signal.reason);
      now += ms;
      return Promise.resolve();
    },
  };
}
