import { describe, expect, it } from 'vitest';
import type { StreamEvent } from './event-source.js';
import { createSubjectHandlers } from './subject-handlers.js';

const event = (subject: string, sequence: number): StreamEvent => ({
  id: `e:${sequence}`,
  position: { epoch: 'e', sequence },
  subject,
  type: 't',
  data: '{}',
  frame: Buffer.from(''),
});

describe('createSubjectHandlers', () => {
  it('calls every handler of a subject as handlers come and go, one alone or several', () => {
    const handlers = createSubjectHandlers();
    const seen: string[] = [];
    const a = (e: StreamEvent) => seen.push(`a${e.position.sequence}`);
    const b = (e: StreamEvent) => seen.push(`b${e.position.sequence}`);
    const offA = handlers.subscribe('s', a);
    handlers.dispatch(event('s', 1));
    const offB = handlers.subscribe('s', b);
    handlers.dispatch(event('s', 2));
    handlers.dispatch(event('other', 3));
    offA();
    handlers.dispatch(event('s', 4));
    offB();
    handlers.dispatch(event('s', 5));
    const offA2 = handlers.subscribe('s', a);
    offA(); // a stale remover does nothing to a later subscription of another generation's Set
    handlers.dispatch(event('s', 6));
    offA2();
    handlers.dispatch(event('s', 7));
    expect(seen).toEqual(['a1', 'a2', 'b2', 'b4', 'a6']);
  });
});
