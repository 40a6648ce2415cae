import { describe, expect, it } from 'vitest';
import { CallCancellation, SignalFanout } from './call-cancellation.js';

describe('CallCancellation', () => {
  it('emits abort once on the emitter undici is given, and a signal asked for later is already aborted', () => {
    const call = new CallCancellation();
    let emitted = 0;
    call.emitter.on('abort', () => emitted++);
    call.abort('deadline', new Error('late'));
    call.abort('caller', new Error('gone'));
    expect(emitted).toBe(1);
    expect(call.aborted).toBe(true);
    expect(call.kind).toBe('deadline');
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as Error).message).toBe('late');
  });

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
