/** A publish waiting for its broker's answer: `settle` once the answer came, whatever it was. */
export interface TrackedPublish {
  settle(): void;
}

/**
 * Deadlines of publishes waiting for the broker, all with one timeout: a publish still unsettled
 * `timeoutMs` after it was tracked has `expire` called once (the caller rejects it).
 */
export interface PublishDeadlines {
  track(expire: () => void): TrackedPublish;
  /** Stops the sweep and expires every publish still waiting, so none is left hanging. */
  close(): void;
}

/**
 * One sweeping timer for every publish in flight instead of a timer per publish (an allocation,
 * a timer-list insert and a removal on the hot path of each). Every deadline is "tracked + the
 * same timeout", so insertion order is deadline order and the sweep stops at the first live one.
 * A publish expires between `timeoutMs` and `timeoutMs` plus the sweep interval (a quarter of the
 * timeout, 50 ms to 1 s) after it was tracked. The timer does not keep the process alive.
 */
export function createPublishDeadlines(timeoutMs: number): PublishDeadlines {
  const pending = new Set<Entry>();
  interface Entry extends TrackedPublish {
    deadline: number;
    expire: () => void;
  }
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const entry of pending) {
        if (entry.deadline > now) break;
        pending.delete(entry);
        entry.expire();
      }
    },
    Math.max(50, Math.min(1000, timeoutMs / 4)),
  );
  sweep.unref();
  return {
    track(expire) {
      const entry: Entry = {
        deadline: Date.now() + timeoutMs,
        expire,
        settle: () => pending.delete(entry),
      };
      pending.add(entry);
      return entry;
    },
    close() {
      clearInterval(sweep);
      const waiting = [...pending];
      pending.clear();
      for (const entry of waiting) entry.expire();
    },
  };
}
