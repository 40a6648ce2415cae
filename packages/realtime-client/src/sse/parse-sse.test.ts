import { describe, expect, it } from 'vitest';
import cases from './parse-sse.cases.json' with { type: 'json' };
import { createSseParser } from './parse-sse.js';

// The WHATWG HTML "event stream interpretation" rules, one case per rule (or per trap in it), as
// data in parse-sse.cases.json (`why` says what a case guards against where the name does not).
// Each case is fed whole, in seeded random byte chunks and one byte at a time; all three must
// dispatch exactly `events` (type, data, lastEventId) and end with `lastEventId`.
interface Case {
  name: string;
  why?: string;
  input: string;
  events: [type: string, data: string, lastEventId: string][];
  lastEventId?: string;
  retries?: number[];
}

const CASES = cases as Case[];

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
