import { describe, expect, it } from 'vitest';
import { createSseParser } from './parse-sse.js';

// The WHATWG HTML "event stream interpretation" rules, one case per rule (or per trap in it). Each
// case is fed whole, in seeded random byte chunks and one byte at a time; all three must dispatch
// exactly `events` (type, data, lastEventId) and end with `lastEventId`.
interface Case {
  name: string;
  input: string;
  events: [type: string, data: string, lastEventId: string][];
  lastEventId?: string;
  retries?: number[];
}

const CASES: Case[] = [
  { name: 'a plain message', input: 'data: hello\n\n', events: [['message', 'hello', '']] },
  { name: 'one leading BOM is removed', input: '\uFEFFdata: a\n\n', events: [['message', 'a', '']] },
  {
    // The second BOM is part of the first line's field name, `\uFEFFdata`, which is unknown.
    name: 'a second leading BOM is not removed',
    input: '\uFEFF\uFEFFdata: a\n\ndata: b\n\n',
    events: [['message', 'b', '']],
  },
  {
    name: 'a BOM after the start of the stream is not removed',
    input: 'data: a\n\n\uFEFFdata: b\n\n',
    events: [['message', 'a', '']],
  },
  { name: 'CRLF line ends', input: 'data: a\r\ndata: b\r\n\r\n', events: [['message', 'a\nb', '']] },
  { name: 'CR line ends', input: 'data: a\rdata: b\r\r', events: [['message', 'a\nb', '']] },
  {
    name: 'LF, CR and CRLF mixed in one stream',
    input: 'data: a\r\ndata: b\rdata: c\n\r\n',
    events: [['message', 'a\nb\nc', '']],
  },
  {
    // LF then CR is two line ends (an empty line between), unlike CR then LF.
    name: 'LF followed by CR ends two lines',
    input: 'data: x\n\rdata: y\r\n\n',
    events: [
      ['message', 'x', ''],
      ['message', 'y', ''],
    ],
  },
  {
    // Fed byte by byte the CR and the LF arrive apart; they still end one line, not two.
    name: 'a CRLF split between chunks is one line end',
    input: 'data: a\r\ndata: b\r\n\r\n',
    events: [['message', 'a\nb', '']],
  },
  {
    name: 'id persists across blocks until changed',
    input: 'id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n',
    events: [
      ['message', 'a', '1'],
      ['message', 'b', '1'],
      ['message', 'c', '2'],
    ],
    lastEventId: '2',
  },
  {
    name: 'an id containing U+0000 is ignored',
    input: 'id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n',
    events: [
      ['message', 'a', '1'],
      ['message', 'b', '1'],
    ],
    lastEventId: '1',
  },
  {
    name: 'an empty id resets the last event id',
    input: 'id: 5\ndata: a\n\nid:\ndata: b\n\n',
    events: [
      ['message', 'a', '5'],
      ['message', 'b', ''],
    ],
    lastEventId: '',
  },
  {
    name: 'an id without a colon resets it too',
    input: 'id: 5\ndata: a\n\nid\n\n',
    events: [['message', 'a', '5']],
    lastEventId: '',
  },
  {
    name: 'an id-only block moves the last event id and dispatches nothing',
    input: 'data: a\n\nid: 6\n\ndata: b\n\n',
    events: [
      ['message', 'a', ''],
      ['message', 'b', '6'],
    ],
    lastEventId: '6',
  },
  { name: 'an id-only stream dispatches nothing', input: 'id: 9\n\n', events: [], lastEventId: '9' },
  {
    name: 'the id of an unfinished last block is not taken',
    input: 'id: 1\ndata: a\n\nid: 2\ndata: b\n',
    events: [['message', 'a', '1']],
    lastEventId: '1',
  },
  { name: 'a valid retry', input: 'retry: 1500\n\n', events: [], retries: [1500] },
  { name: 'a retry without a space', input: 'retry:1500\n', events: [], retries: [1500] },
  {
    name: 'retry values that are not only ASCII digits are ignored',
    input: 'retry: 1.5\nretry: -1\nretry: 1e3\nretry:\nretry: 15 \nretry: \uFF15\nretry: +2\n\n',
    events: [],
    retries: [],
  },
  { name: 'a retry with two spaces is ignored', input: 'retry:  1500\n\n', events: [], retries: [] },
  { name: 'a retry line never ended is ignored', input: 'retry: 1500', events: [], retries: [] },
  {
    name: 'data lines join with LF and the last LF goes',
    input: 'data: a\ndata:\ndata: b\n\ndata: c\ndata\n\n',
    events: [
      ['message', 'a\n\nb', ''],
      ['message', 'c\n', ''],
    ],
  },
  {
    name: 'a data line with nothing after it dispatches an empty message',
    input: 'data\n\n',
    events: [['message', '', '']],
  },
  {
    name: 'a block without data dispatches nothing and forgets its event type',
    input: 'event: x\n\n\n\ndata: y\n\n',
    events: [['message', 'y', '']],
  },
  {
    name: 'a last block without its blank line is discarded at the end',
    input: 'data: a\n\ndata: b\n',
    events: [['message', 'a', '']],
  },
  {
    name: 'a last line without its line end is discarded at the end',
    input: 'data: a\n\ndata: b',
    events: [['message', 'a', '']],
  },
  {
    name: 'comments are ignored',
    input: ':comment\ndata: a\n: another\n:\n\n: alone\n\n',
    events: [['message', 'a', '']],
  },
  {
    name: 'a field without a colon is a name with an empty value',
    input: 'event\ndata: x\n\nfoo\ndata\n\n',
    events: [
      ['message', 'x', ''],
      ['message', '', ''],
    ],
  },
  {
    name: 'only one space after the colon is removed',
    input: 'data:  two\n\ndata:none\n\ndata: \n\ndata:\tx\n\n',
    events: [
      ['message', ' two', ''],
      ['message', 'none', ''],
      ['message', '', ''],
      ['message', '\tx', ''],
    ],
  },
  {
    name: 'event sets the type for one block, message by default',
    input: 'event: add\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\nevent:  sp\ndata: 4\n\n',
    events: [
      ['add', '1', ''],
      ['message', '2', ''],
      ['message', '3', ''],
      [' sp', '4', ''],
    ],
  },
  {
    name: 'unknown fields are ignored, names are case-sensitive and end at the colon',
    input: 'foo: bar\nDATA: x\ndata : y\nretry : 5\n\ndata: z\n\n',
    events: [['message', 'z', '']],
  },
  {
    name: 'colons after the first belong to the value',
    input: 'data: a:b: c\nid: 7:42\n\n',
    events: [['message', 'a:b: c', '7:42']],
    lastEventId: '7:42',
  },
  {
    // Byte feeding splits these characters' UTF-8 sequences across chunks.
    name: 'multi-byte characters survive any split',
    input: 'event: h\u00e9\ndata: \u20ac \ud83c\udf89\n\n',
    events: [['h\u00e9', '\u20ac \ud83c\udf89', '']],
  },
];

interface Outcome {
  events: [string, string, string][];
  lastEventId: string;
  retries: number[];
}

type Feeding = (input: string, feed: (text: string) => void) => void;

/** Mulberry32: a tiny seeded generator, so a failing chunking can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Encodes to UTF-8 and decodes the chunks as the client does: streaming, BOM kept. */
function inByteChunks(sizes: () => number): Feeding {
  return (input, feed) => {
    const bytes = new TextEncoder().encode(input);
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    for (let i = 0; i < bytes.length; ) {
      const end = Math.min(bytes.length, i + sizes());
      feed(decoder.decode(bytes.subarray(i, end), { stream: true }));
      i = end;
    }
    feed(decoder.decode());
  };
}

const FEEDINGS: [string, Feeding][] = [
  ['whole', (input, feed) => feed(input)],
  ...[1, 2, 3].map((seed): [string, Feeding] => {
    const random = seeded(seed);
    return [`random chunks (seed ${seed})`, inByteChunks(() => 1 + Math.floor(random() * 7))];
  }),
  ['one byte at a time', inByteChunks(() => 1)],
];

function run(input: string, feeding: Feeding): Outcome {
  const outcome: Outcome = { events: [], lastEventId: '', retries: [] };
  const parser = createSseParser({
    onMessage: (m) => outcome.events.push([m.event, m.data, m.lastEventId]),
    onRetry: (ms) => outcome.retries.push(ms),
  });
  feeding(input, (text) => parser.feed(text));
  outcome.lastEventId = parser.lastEventId;
  return outcome;
}

describe('createSseParser follows the WHATWG event-stream rules', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const expected: Outcome = {
        events: c.events,
        lastEventId: c.lastEventId ?? '',
        retries: c.retries ?? [],
      };
      for (const [how, feeding] of FEEDINGS)
        expect({ how, ...run(c.input, feeding) }).toEqual({ how, ...expected });
    });
  }

  it('has a case for every rule the client relies on', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it('reports each change of the last event id once, id-only blocks included, before the message', () => {
    const seen: string[] = [];
    const parser = createSseParser({
      onMessage: (m) => seen.push(`message ${m.data}`),
      onLastEventId: (id) => seen.push(`id ${id}`),
    });
    parser.feed('id: 1\ndata: a\n\ndata: b\n\nid: 2\n\nid:\n\n');
    expect(seen).toEqual(['id 1', 'message a', 'message b', 'id 2', 'id ']);
  });

  it('starts from the id a previous connection ended with, and keeps it across reset()', () => {
    const events: string[] = [];
    const parser = createSseParser(
      { onMessage: (m) => events.push(`${m.data}@${m.lastEventId}`) },
      { lastEventId: '41' },
    );
    parser.feed('data: a\n\nid: 42\ndata: b\n\nid: 43\ndata: partial\n');
    parser.reset();
    parser.feed('\uFEFFdata: c\n\n');
    expect(events).toEqual(['a@41', 'b@42', 'c@42']);
    expect(parser.lastEventId).toBe('42');
  });

  it('reports comments without their leading space', () => {
    const comments: string[] = [];
    const parser = createSseParser({ onMessage: () => {}, onComment: (c) => comments.push(c) });
    parser.feed(': ping\n:  two\n:\n');
    expect(comments).toEqual(['ping', ' two', '']);
  });
});
