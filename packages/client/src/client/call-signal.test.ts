import { describe, expect, it } from 'vitest';
import { CallSignal } from './call-signal.js';

describe('CallSignal listeners', () => {
  it('calls every abort listener once, in the order added', () => {
    const signal = new CallSignal();
    const calls: string[] = [];
    signal.on('abort', () => calls.push('a'));
    signal.once('abort', () => calls.push('b'));
    signal.addListener('abort', () => calls.push('c'));
    signal.abort('caller', new Error('stop'));
    signal.abort('deadline', new Error('again'));
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(signal.kind).toBe('caller');
  });

  it('removes the listener given, the first one included, and keeps the order of the rest', () => {
    const signal = new CallSignal();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    const c = () => calls.push('c');
    signal.on('abort', a);
    signal.on('abort', b);
    signal.removeListener('abort', a);
    signal.on('abort', c);
    signal.off('abort', () => calls.push('never added'));
    signal.abort('caller', undefined);
    expect(calls).toEqual(['b', 'c']);
  });

  it('can take a listener again after its only one was removed', () => {
    const signal = new CallSignal();
    const calls: string[] = [];
    const a = () => calls.push('a');
    signal.once('abort', a);
    signal.removeListener('abort', a);
    signal.once('abort', () => calls.push('b'));
    signal.abort('deadline', undefined);
    expect(calls).toEqual(['b']);
  });

  it('calls no listener after dispose', () => {
    const signal = new CallSignal();
    const calls: string[] = [];
    signal.on('abort', () => calls.push('a'));
    signal.on('abort', () => calls.push('b'));
    signal.dispose();
    signal.abort('caller', undefined);
    expect(calls).toEqual([]);
  });
});
