import Fastify, { type FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { findReplyHeaderStore, replyHeaderWriter } from './reply-headers.js';

const FIXED = { 'X-Frame-Options': 'DENY', 'x-content-type-options': 'nosniff' };

async function headersFrom(write: (reply: FastifyReply) => void) {
  const app = Fastify();
  app.get('/', async (_request, reply) => {
    write(reply);
    return 'ok';
  });
  const res = await app.inject({ url: '/' });
  await app.close();
  return res.headers;
}

describe('replyHeaderWriter', () => {
  it("finds this Fastify's header object, so the fast path is the one in use", async () => {
    let found: symbol | undefined;
    await headersFrom((reply) => {
      found = findReplyHeaderStore(reply);
    });
    expect(found).toBeTypeOf('symbol');
  });

  it('sends what reply.header() would, with and without the fixed headers', async () => {
    const write = replyHeaderWriter('X-Request-Id', FIXED);
    const viaWriter = await headersFrom((reply) => write(reply, 'req-1', true));
    const viaPublicApi = await headersFrom((reply) => reply.header('x-request-id', 'req-1').headers(FIXED));
    const pick = (h: Record<string, unknown>) => ({
      id: h['x-request-id'],
      frame: h['x-frame-options'],
      sniff: h['x-content-type-options'],
    });
    expect(pick(viaWriter)).toEqual({ id: 'req-1', frame: 'DENY', sniff: 'nosniff' });
    expect(pick(viaWriter)).toEqual(pick(viaPublicApi));
    const idOnly = await headersFrom((reply) => write(reply, 'req-2', false));
    expect(pick(idOnly)).toEqual({ id: 'req-2', frame: undefined, sniff: undefined });
  });

  it('falls back to the public API when the header object is not where it is expected', () => {
    const calls: unknown[] = [];
    const reply = {
      header: (name: string, value: string) => calls.push(['header', name, value]),
      headers: (headers: Record<string, string>) => calls.push(['headers', headers]),
    } as unknown as FastifyReply;
    replyHeaderWriter('x-request-id', FIXED)(reply, 'req-3', true);
    expect(calls).toEqual([
      ['header', 'x-request-id', 'req-3'],
      ['headers', FIXED],
    ]);
  });
});
