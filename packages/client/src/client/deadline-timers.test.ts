import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallCancellation } from './call-cancellation.js';
import { DeadlineTimers } from './deadline-timers.js';

describe('DeadlineTimers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts each call at its own deadline, to the millisecond, and not a call that ended first', () => {
    const timers = new DeadlineTimers();
    const first = new CallCancellation();
    const ended = new CallCancellation();
    const third = new CallCancellation();
    timers.add(first, 100);
    vi.advanceTimersByTime(10);
    timers.add(ended, 100);
    vi.advanceTimersByTime(10);
    timers.add(third, 100);
    ended.dispose();
    vi.advanceTimersByTime(79);
    expect(first.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(first.kind).toBe('deadline');
    expect(third.aborted).toBe(false);
    vi.advanceTimersByTime(19);
    expect(third.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(third.kind).toBe('deadline');
    expect(ended.aborted).toBe(false);
  });

  it('gives a call due before the last queued one a timer of its own, which fires in time', () => {
    const timers = new DeadlineTimers();
    const long = new CallCancellation();
    const short = new CallCancellation();
    timers.add(long, 1_000);
    timers.add(short, 50);
    vi.advanceTimersByTime(50);
    expect(short.kind).toBe('deadline');
    expect(long.aborted).toBe(false);
    vi.advanceTimersByTime(950);
    expect(long.kind).toBe('deadline');
  });

  it('keeps firing after the queue emptied and filled again, and after a slow call held back many ended ones', () => {
    const timers = new DeadlineTimers();
    const slow = new CallCancellation();
    timers.add(slow, 10_000);
    for (let i = 0; i < 5_000; i++) {
      const fast = new CallCancellation();
      timers.add(fast, 10_000);
      fast.dispose();
    }
    const last = new CallCancellation();
    timers.add(last, 10_000);
    slow.dispose();
    vi.advanceTimersByTime(10_000);
    expect(slow.aborted).toBe(false);
    expect(last.kind).toBe('deadline');
    const again = new CallCancellation();
    timers.add(again, 5);
    vi.advanceTimersByTime(5);
    expect(again.kind).toBe('deadline');
  });
});
