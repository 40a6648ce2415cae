import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` until it returns true; rejects with `what` after `timeoutMs`. For tests. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Polls `count` until it reaches `target`. Fails only when the count stops moving for `stallMs`, so
 * a slow machine (a CI run with every suite in parallel) still passes while a lost message or a
 * consumer that never resumed fails, with how far it got in the message.
 */
export async function waitForCount(
  count: () => number,
  target: number,
  what: string,
  stallMs = 15_000,
): Promise<void> {
  let last = count();
  let movedAt = Date.now();
  for (let now = count(); now < target; now = count()) {
    if (now !== last) {
      last = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) {
      throw new Error(
        `Stalled waiting for ${what}: ${now} of ${target} after ${stallMs} ms without progress`,
      );
    }
    await sleep(10);
  }
}
