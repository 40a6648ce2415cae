import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPublishDeadlines } from './publish-deadlines.js';

describe('publish deadlines: one sweep for every publish in flight', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires a publish left unsettled past its timeout, once, and not before', () => {
    const deadlines = createPublishDeadlines(1000);
    const expired: string[] = [];
    deadlines.track(() => expired.push('a'));
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(250); // the sweep runs every quarter of the timeout
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(5000);
    expect(expired).toEqual(['a']);
    deadlines.close();
  });

  it('never expires a settled publish, and expires later ones at their own deadline', () => {
    const deadlines = createPublishDeadlines(1000);
    const expired: string[] = [];
    const first = deadlines.track(() => expired.push('first'));
    vi.advanceTimersByTime(500);
    deadlines.track(() => expired.push('second'));
    first.settle();
    vi.advanceTimersByTime(750);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(expired).toEqual(['second']);
    deadlines.close();
  });

  it('expires every overdue publish in one sweep, oldest first, leaving live ones', () => {
    const deadlines = createPublishDeadlines(200);
    const expired: number[] = [];
    for (let i = 0; i < 3; i++) deadlines.track(() => expired.push(i));
    vi.advanceTimersByTime(100);
    deadlines.track(() => expired.push(3));
    vi.advanceTimersByTime(150);
    expect(expired).toEqual([0, 1, 2]);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual([0, 1, 2, 3]);
    deadlines.close();
  });

  it('expires what is still waiting at close, at once and only once, and nothing settled', () => {
    const deadlines = createPublishDeadlines(100);
    const waiting = vi.fn();
    const settled = vi.fn();
    deadlines.track(waiting);
    deadlines.track(settled).settle();
    deadlines.close();
    expect(waiting).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(waiting).toHaveBeenCalledTimes(1);
    expect(settled).not.toHaveBeenCalled();
  });
});
