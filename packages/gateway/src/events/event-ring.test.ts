import { describe, expect, it } from 'vitest';
import { encodeFrame } from './encode-frame.js';
import { EventRing } from './event-ring.js';
import type { StreamEvent } from './event-source.js';

const event = (sequence: number, subject = 's', size = 10): StreamEvent => {
  const id = `e:${sequence}`;
  const data = 'x'.repeat(size);
  return {
    id,
    position: { epoch: 'e', sequence },
    subject,
    type: 't',
    data,
    frame: encodeFrame({ id, data }),
  };
};

describe('EventRing', () => {
  it('keeps the newest events by count and moves its complete-after mark past dropped ones', () => {
    const ring = new EventRing(3, 0);
    for (let i = 1; i <= 5; i++) ring.push(event(i, i % 2 ? 'odd' : 'even'));
    expect(ring.completeAfter).toBe(2);
    expect(ring.after(0, new Set(['odd', 'even'])).map((e) => e.position.sequence)).toEqual([3, 4, 5]);
    expect(ring.after(3, new Set(['odd'])).map((e) => e.position.sequence)).toEqual([5]);
  });

  it('keeps at most its byte budget', () => {
    const one = event(1, 's', 1000).frame.length;
    const ring = new EventRing(1000, 0, one * 2 + 10); // ids grow by a digit: a little slack
    for (let i = 1; i <= 10; i++) ring.push(event(i, 's', 1000));
    expect(ring.after(0, new Set(['s'])).map((e) => e.position.sequence)).toEqual([9, 10]);
    expect(ring.completeAfter).toBe(8);
  });
});
