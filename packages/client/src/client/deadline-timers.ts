import type { CallCancellation } from './call-cancellation.js';

/** Fires the timers of the queue: no closure per queue or call. */
function fire(timers: DeadlineTimers): void {
  timers.fire();
}

/**
 * The deadline timers of one client's calls, on one Node timer. A client's calls mostly share one
 * time budget, so their deadlines come in the order the calls start: a queue in that order, with a
 * timer armed for its head, does what a `setTimeout`/`clearTimeout` pair per call did (a `Timeout`
 * object, a timer-list insertion and removal each) for an array push and a flag. A call whose
 * deadline falls before the last queued one (a shorter `timeoutMs`, a context's deadline) gets its
 * own timer as before. Deadlines fire when they are due, to the millisecond, as a call's own timer
 * would; the timer keeps the process alive only while a queued call is live, as per-call timers did.
 */
export class DeadlineTimers {
  private queue: CallCancellation[] = [];
  private head = 0;
  /** Queued calls not yet disposed or fired. */
  private live = 0;
  private timer: NodeJS.Timeout | undefined = undefined;

  /** Aborts `call` with `'deadline'` in `ms`, unless it is disposed first (`remove`). */
  add(call: CallCancellation, ms: number): void {
    const dueAt = performance.now() + ms;
    const queue = this.queue;
    const last = queue.length > this.head ? queue[queue.length - 1]! : undefined;
    if (last !== undefined && last.dueAt > dueAt) {
      call.startOwnDeadline(ms);
      return;
    }
    call.dueAt = dueAt;
    call.timers = this;
    queue.push(call);
    this.live++;
    if (this.timer === undefined) this.timer = setTimeout(fire, ms, this);
    else if (this.live === 1) this.timer.ref();
  }

  /** Forgets a queued call that ended before its deadline. */
  remove(call: CallCancellation): void {
    call.timers = undefined;
    this.live--;
    // Calls mostly end in the order they started: drop ended ones from the head at once.
    const queue = this.queue;
    while (this.head < queue.length && queue[this.head]!.timers !== this) this.head++;
    if (this.head === queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (queue.length - this.head > 2 * this.live + 1024) {
      // A slow call at the head holds back the ended ones behind it: keep the live ones only.
      this.queue = queue.slice(this.head).filter((c) => c.timers === this);
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > queue.length) {
      // Calls always in flight: the queue never empties, so the part before the head is dropped here.
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
    // Nothing left to fire: the timer (due no later than any call queued later) no longer holds the process.
    if (this.live === 0) this.timer?.unref();
  }

  /** Fires the calls that are due and arms the timer for the next. */
  fire(): void {
    this.timer = undefined;
    const now = performance.now();
    const queue = this.queue;
    const due: CallCancellation[] = [];
    while (this.head < queue.length) {
      const call = queue[this.head]!;
      if (call.timers === this) {
        if (call.dueAt > now) break;
        call.timers = undefined;
        this.live--;
        due.push(call);
      }
      this.head++;
    }
    if (this.head === queue.length) {
      this.queue = [];
      this.head = 0;
    } else {
      // A Node timer may fire a fraction of a millisecond early by this clock: the rest is waited for.
      this.timer = setTimeout(fire, Math.max(1, Math.ceil(queue[this.head]!.dueAt - now)), this);
    }
    // Aborted once the queue is consistent: an abort may end other calls, which then leave it.
    for (const call of due) call.abortAtDeadline();
  }
}
