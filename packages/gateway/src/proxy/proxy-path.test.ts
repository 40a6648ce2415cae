import { describe, expect, it } from 'vitest';
import { isMalformedQuery, upstreamPath } from './proxy-path.js';
import { SAFE_PATHS, TRAVERSALS } from './traversal-cases.test.helper.js';

describe('upstreamPath', () => {
  it.each(TRAVERSALS)('refuses $path ($why)', ({ path }) => {
    expect(upstreamPath(path)).toBeUndefined();
    expect(upstreamPath(`${path}?x=1`)).toBeUndefined();
  });

  it.each(SAFE_PATHS)('forwards %s as sent', (path) => {
    expect(upstreamPath(`${path}?q=a%20b`)).toBe(`${path.slice('/api'.length)}?q=a%20b`);
  });

  it('refuses control characters in the query and paths outside the prefix', () => {
    expect(upstreamPath('/api/orders?x=\u0000')).toBeUndefined();
    expect(upstreamPath('/apix/orders')).toBeUndefined();
    expect(upstreamPath('/api')).toBeUndefined();
  });
});

describe('isMalformedQuery', () => {
  it.each(['/api/x?x=%', '/api/x?%zz=1', '/api/x?a=1&b=%2', '/api/x?x=%g0'])('%s is malformed', (url) => {
    expect(isMalformedQuery(url)).toBe(true);
  });

  it.each(['/api/x', '/api/x?', '/api/x?x=%25', '/api/x?x=%ff&y=%C3%A9', '/api/%/x'])('%s is not', (url) => {
    expect(isMalformedQuery(url)).toBe(false);
  });
});
