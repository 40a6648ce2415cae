import { describe, expect, it } from 'vitest';
import { CallCancellation, SignalFanout } from './call-cancellation.js';

describe('CallCancellation', () => {
  it('aborts its real AbortSignal once, keeping the first reason and kind', () => {
    const call = new CallCancellation();
    expect(call.signal).toBeInstanceOf(AbortSignal);
    const caller = new AbortController();
    call.follow(caller.signal, 'caller');
    caller.abort(new Error('gone'));
    call.abort('deadline', new Error('late'));
    expect(call.signal.aborted).toBe(true);
    expect(call.kind).toBe('caller');
    expect((call.signal.reason as Error).message).toBe('gone');
  });

  it('follows a shared signal through one listener, and stops following once disposed', () => {
    const fanout = new SignalFanout();
    const context = new AbortController();
    const done = new CallCancellation();
    const live = new CallCancellation();
    done.follow(context.signal, 'deadline', fanout);
    live.follow(context.signal, 'deadline', fanout);
    done.dispose();
    context.abort();
    expect(done.signal.aborted).toBe(false);
    expect(live.signal.aborted).toBe(true);
    expect(live.kind).toBe('deadline');
  });
});
