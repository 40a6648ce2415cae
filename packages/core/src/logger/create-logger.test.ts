import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';
import { redactUrl } from './redact.js';

function capture() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ name: 'redaction-test', destination });
  return {
    logger,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('createLogger redaction', () => {
  it('redacts an Authorization header', () => {
    const { logger, text, lines } = capture();
    logger.info(
      { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', accept: 'text/html' } },
      'in',
    );
    expect(text()).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(lines()[0].headers).toEqual({ authorization: '[REDACTED]', accept: 'text/html' });
  });

  it('redacts signature headers of every scheme', () => {
    const { logger, text } = capture();
    logger.info(
      {
        req: {
          method: 'POST',
          url: '/internal/orders',
          headers: {
            signature: 'sig1=:c2VjcmV0LXNpZ25hdHVyZQ==:',
            'x-internal-signature': 'deadbeef-internal',
            'x-stripe-signature': 't=1,v1=stripe-secret-sig',
            'x-service-token': 'svc-token-value',
            'x-internal-service': 'true',
            cookie: 'session=abc-session',
            'set-cookie': 'session=abc-session2',
            'content-type': 'application/json',
          },
        },
      },
      'request',
    );
    const out = text();
    for (const secret of [
      'c2VjcmV0',
      'deadbeef-internal',
      'stripe-secret-sig',
      'svc-token-value',
      'abc-session',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('application/json');
  });

  it('redacts token= values in URLs, in request lines and in messages', () => {
    const { logger, text } = capture();
    logger.info(
      { req: { method: 'GET', url: '/events/stream?token=st_0123456789abcdef&lastEventId=5' } },
      'stream',
    );
    logger.info({ url: 'https://x.example/cb?access_token=at-secret' }, 'callback');
    logger.warn('retrying https://api.example/x?api_key=key-secret&a=1');
    const out = text();
    expect(out).not.toContain('st_0123456789abcdef');
    expect(out).not.toContain('at-secret');
    expect(out).not.toContain('key-secret');
    expect(out).toContain('lastEventId=5');
    expect(out).toContain('a=1');
  });

  it('redacts secrets logged under well-known keys', () => {
    const { logger, text } = capture();
    logger.info({ user: { password: 'p4ssw0rd', token: 'tok-123' }, secret: 'top' }, 'x');
    expect(text()).not.toMatch(/p4ssw0rd|tok-123|"top"/);
  });

  it('redacts a secret parameter however its name is written, each time it appears', () => {
    const cases: Array<[string, string]> = [
      ['/s?%74oken=S1', '/s?%74oken=[REDACTED]'],
      ['/s?TOKEN=S2&a=1', '/s?TOKEN=[REDACTED]&a=1'],
      ['/s?a=1&To%6Ben=S3', '/s?a=1&To%6Ben=[REDACTED]'],
      ['/s?%2574oken=S4', '/s?%2574oken=[REDACTED]'],
      ['/s?token+=S5', '/s?token+=[REDACTED]'],
      ['/s?token=S6&token=S7', '/s?token=[REDACTED]&token=[REDACTED]'],
      ['/s?a=1;token=S8', '/s?a=1;token=[REDACTED]'],
      ['/s?token=S9;tail', '/s?token=[REDACTED]'],
      ['/s?token%3DS10', '/s?[REDACTED]'],
      ['/s?token[]=S11', '/s?token[]=[REDACTED]'],
      ['/login?next=/x?access%5Ftoken=S12&a=1', '/login?next=/x?access%5Ftoken=[REDACTED]&a=1'],
    ];
    for (const [url, redacted] of cases) expect(redactUrl(url), url).toBe(redacted);
  });

  it('leaves URLs without secrets alone', () => {
    expect(redactUrl('/s?a=%&b=%zz&tokens=1')).toBe('/s?a=%&b=%zz&tokens=1');
    expect(redactUrl('/orders?page=2&sort=asc')).toBe('/orders?page=2&sort=asc');
    expect(redactUrl('/a?token=x#frag')).toBe('/a?token=[REDACTED]#frag');
  });
});
