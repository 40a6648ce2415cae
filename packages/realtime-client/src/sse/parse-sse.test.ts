import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './parse-sse.js';

// Streams that exercise the spec's corners: every line ending, multi-line data, comments, ids,
// event names, retry, fields without a colon or space, a BOM, and a final frame without its blank line.
const STREAMS = [
  'id: 1\nevent: order\ndata: {"a":1}\n\n',
  'data: line one\ndata: line two\r\ndata:line three\r\rdata\n\n',
  '\uFEFF: ping\n\nretry: 3000\nid: 7:42\nevent: x\ndata: y\n\n: comment\n\n',
  'event: only-name\n\nid: 9\n\ndata: after empty id\nid:\n\n',
  'data: partial frame never ends\n',
  'field-without-colon\ndata: ok\nunknown: ignored\n\n',
];

function ours(stream: string, chunkSize: number): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createSseParser({ onMessage: (m) => out.push(m) });
  for (let i = 0; i < stream.length; i += chunkSize) parser.feed(stream.slice(i, i + chunkSize));
  return out;
}

function reference(stream: string): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createParser({
    onEvent: (e: EventSourceMessage) => out.push({ id: e.id, event: e.event ?? 'message', data: e.data }),
  });
  parser.feed(stream);
  return out;
}

describe('createSseParser', () => {
  for (const [index, stream] of STREAMS.entries()) {
    it(`matches eventsource-parser on stream ${index}, whatever the chunking`, () => {
      const expected = reference(stream);
      for (const size of [1, 2, 3, 7, stream.length]) expect(ours(stream, size)).toEqual(expected);
    });
  }

  it('reports retry and comments', () => {
    const retries: number[] = [];
    const comments: string[] = [];
    const parser = createSseParser({
      onMessage: () => {},
      onRetry: (ms) => retries.push(ms),
      onComment: (c) => comments.push(c),
    });
    parser.feed('retry: 30000\n: ping\nretry: soon\n\n');
    expect(retries).toEqual([30000]);
    expect(comments).toEqual(['ping']);
  });
});
