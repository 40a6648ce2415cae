import { describe, expect, it } from 'vitest';
import { encodeFrame } from './encode-frame.js';

describe('encodeFrame', () => {
  it('splits data on every SSE line ending, so a payload can neither end the frame nor add fields', () => {
    const frame = encodeFrame({ id: 'e:1', event: 'note', data: 'one\ntwo\r\nthree\rid: forged\n\nfour' });
    expect(frame.toString('utf8')).toBe(
      'id: e:1\nevent: note\ndata: one\ndata: two\ndata: three\ndata: id: forged\ndata: \ndata: four\n\n',
    );
  });

  it('keeps line breaks and NUL out of the id and event name', () => {
    expect(encodeFrame({ id: 'e:\r\n1\u0000', event: 'a\nb', data: '{}' }).toString('utf8')).toBe(
      'id: e:1\nevent: ab\ndata: {}\n\n',
    );
  });
});
