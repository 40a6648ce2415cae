import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOriginPathResolver, createUrlTargetResolver } from './url-target-resolver.js';

function viaUrl(url: string): unknown {
  try {
    const parsed = new URL(url);
    return {
      scheme: parsed.protocol.slice(0, -1),
      authority: parsed.host,
      path: parsed.pathname,
      query: parsed.search,
    };
  } catch {
    return 'invalid';
  }
}

function viaResolver(resolve: (url: string) => unknown, url: string): unknown {
  try {
    return resolve(url);
  } catch {
    return 'invalid';
  }
}

// What the URL parser rewrites: dot segments (also as %2e), backslashes, quotes, spaces, tabs,
// non-ASCII, bad escapes, fragments, userinfo, ports, upper case, empty authorities.
const origin = fc.constantFrom(
  'http://svc',
  'https://svc.internal:8443',
  'http://svc:80',
  'https://svc:443',
  'http://SVC.Example:3000',
  'http://user:pw@svc',
  'http://127.1',
  'http://0x7f.0.0.1:08080',
  'http://[::1]:3000',
  'http://xn--nxasmq6b',
  'http://',
  'http:/',
  'HTTP://svc',
  'ftp://svc',
  'http://s\tvc',
  ' http://svc',
  'http://svc:99999',
);
const part = fc.string({
  unit: fc.constantFrom(
    ...'/?#\\.%2eE7bB~!$&\'()*+,;=:@"<>`{}|^[] \t\né-_azAZ09'.split(''),
    '%2e',
    '%2E',
    '/..',
    '/.',
    '/%2e%2E',
  ),
  maxLength: 24,
});

describe('createUrlTargetResolver', () => {
  it('gives what URL gives, or fails where URL fails (20,000 generated URLs)', () => {
    const resolve = createUrlTargetResolver();
    fc.assert(
      fc.property(origin, part, (o, p) => {
        const url = `${o}${p}`;
        expect(viaResolver(resolve, url)).toEqual(viaUrl(url));
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives for an origin and a path apart what URL gives for them joined (20,000 generated)', () => {
    const resolve = createOriginPathResolver(createUrlTargetResolver());
    const viaParts = (o: string, p: string): unknown => {
      try {
        return resolve(o, p);
      } catch {
        return 'invalid';
      }
    };
    fc.assert(
      fc.property(origin, part, fc.boolean(), (o, p, slash) => {
        // Mostly paths as the client sends them (a leading `/`), the same origin often twice running.
        const path = slash ? `/${p}` : p;
        expect(viaParts(o, path)).toEqual(viaUrl(`${o}${path}`));
        expect(viaParts(o, '/x?y')).toEqual(viaUrl(`${o}/x?y`));
      }),
      { numRuns: 20_000 },
    );
  });

  it('takes the usual shapes without URL, and keeps remembering origins past its bound', () => {
    const resolve = createUrlTargetResolver();
    for (let i = 0; i < 600; i++) {
      expect(resolve(`https://svc-${i}.internal:8443/v1/items/${i}?page=2&q=a%20b`)).toEqual({
        scheme: 'https',
        authority: `svc-${i}.internal:8443`,
        path: `/v1/items/${i}`,
        query: '?page=2&q=a%20b',
      });
    }
    expect(resolve('http://svc?x')).toEqual({ scheme: 'http', authority: 'svc', path: '/', query: '?x' });
    expect(resolve('http://svc/a?')).toEqual({ scheme: 'http', authority: 'svc', path: '/a', query: '' });
    expect(resolve('http://SVC:80/a/../b')).toEqual({
      scheme: 'http',
      authority: 'svc',
      path: '/b',
      query: '',
    });
  });
});
