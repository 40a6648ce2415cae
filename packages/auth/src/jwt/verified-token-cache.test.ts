import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifiedTokenCache } from './verified-token-cache.js';

const NOW = 1_800_000_000_000;
const LATER = NOW + 60_000;

describe('createVerifiedTokenCache', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('serves a cached token until its expiry and never after', () => {
    const cache = createVerifiedTokenCache<string>(10);
    cache.set('t', 'v', NOW + 1000);
    expect(cache.get('t', NOW + 999)).toBe('v');
    expect(cache.get('t', NOW + 1000)).toBeUndefined();
    expect(cache.get('t', NOW + 5000)).toBeUndefined();
  });

  it('is keyed by the whole token', () => {
    const cache = createVerifiedTokenCache<string>(10);
    cache.set('header.payload.signature', 'v', LATER);
    expect(cache.get('header.payload.signaturf', NOW)).toBeUndefined();
    expect(cache.get('header.payload.signatur', NOW)).toBeUndefined();
    expect(cache.get('header.payload.signature', NOW)).toBe('v');
  });

  it('never holds more than its bound, however it is used', () => {
    for (const bound of [1, 2, 3, 4, 7, 10]) {
      const cache = createVerifiedTokenCache<number>(bound);
      for (let i = 0; i < 100; i++) {
        cache.set(`t${i}`, i, LATER);
        cache.get(`t${i - 1}`, NOW);
        cache.get(`t${i >> 1}`, NOW);
        expect(cache.size).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('holds nothing with a bound of 0', () => {
    const cache = createVerifiedTokenCache<string>(0);
    cache.set('t', 'v', LATER);
    expect(cache.get('t', NOW)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps a token in use while others come and go, and drops one not used', () => {
    const cache = createVerifiedTokenCache<string>(10);
    cache.set('hot', 'h', LATER);
    cache.set('cold', 'c', LATER);
    for (let i = 0; i < 100; i++) {
      cache.set(`t${i}`, 'x', LATER);
      expect(cache.get('hot', NOW)).toBe('h');
    }
    expect(cache.get('cold', NOW)).toBeUndefined();
  });

  it('does not serve an expired token from the older generation either', () => {
    const cache = createVerifiedTokenCache<string>(4);
    cache.set('t', 'v', NOW + 1000);
    cache.set('a', 'a', LATER);
    cache.set('b', 'b', LATER); // 't' and 'a' are now the older generation
    expect(cache.get('a', NOW + 1000)).toBe('a');
    expect(cache.get('t', NOW + 1000)).toBeUndefined();
  });

  // V8 keeps a deleted Map entry until the table rehashes: an LRU refreshed by delete + set cost
  // about 20 us per hit once 10,000 tokens were cached (bench/auth.mjs, jwt-es256-repeated after
  // jwt-hs256-fresh). A hit must leave the maps alone, and eviction must not delete one by one.
  it('a hit on a full cache neither deletes nor re-inserts; eviction deletes nothing', () => {
    const cache = createVerifiedTokenCache<number>(1000);
    for (let i = 0; i < 1000; i++) cache.set(`t${i}`, i, LATER);
    const deletes = vi.spyOn(Map.prototype, 'delete');
    const sets = vi.spyOn(Map.prototype, 'set');
    const hits = Array.from({ length: 100 }, () => cache.get('t999', NOW));
    const setsOnHits = sets.mock.calls.length;
    for (let i = 1000; i < 3000; i++) cache.set(`t${i}`, i, LATER);
    const deletesOnEviction = deletes.mock.calls.length;
    vi.restoreAllMocks(); // before any assertion, which may use Maps itself
    expect(hits.every((v) => v === 999)).toBe(true);
    expect(setsOnHits).toBe(0);
    expect(deletesOnEviction).toBe(0);
    expect(cache.size).toBeLessThanOrEqual(1000);
  });
});
