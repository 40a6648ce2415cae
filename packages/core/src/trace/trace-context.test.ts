import { describe, expect, it } from 'vitest';
import {
  formatTraceparent,
  formatTracestate,
  newSpanId,
  newTraceAndSpanId,
  newTraceId,
  parseTraceparent,
  parseTracestate,
  updateTracestate,
} from './trace-context.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('parseTraceparent (W3C Trace Context)', () => {
  it('parses the spec example', () => {
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-01`)).toEqual({
      version: '00',
      traceId: TRACE,
      parentId: PARENT,
      flags: 1,
    });
  });

  it('round-trips through formatTraceparent', () => {
    const header = formatTraceparent(TRACE, PARENT, 1);
    expect(header).toBe(`00-${TRACE}-${PARENT}-01`);
    expect(parseTraceparent(header)?.traceId).toBe(TRACE);
  });

  it.each([
    ['upper-case hex in trace id', `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ['upper-case hex in version', `0A-${TRACE}-${PARENT}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE}-${PARENT}-01`],
    ['version 00 with trailing data', `00-${TRACE}-${PARENT}-01-extra`],
    ['short trace id', `00-${TRACE.slice(1)}-${PARENT}-01`],
    ['short parent id', `00-${TRACE}-${PARENT.slice(1)}-01`],
    ['non-hex flags', `00-${TRACE}-${PARENT}-0g`],
    ['wrong delimiter', `00_${TRACE}-${PARENT}-01`],
    ['non-hex version', `zz-${TRACE}-${PARENT}-01`],
    ['empty', ''],
  ])('rejects %s', (_name, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('rejects a missing header', () => {
    expect(parseTraceparent(undefined)).toBeUndefined();
  });

  it('parses a future version by its first four fields', () => {
    expect(parseTraceparent(`cc-${TRACE}-${PARENT}-01-what-the-future-holds`)).toEqual({
      version: 'cc',
      traceId: TRACE,
      parentId: PARENT,
      flags: 1,
    });
    expect(parseTraceparent(`cc-${TRACE}-${PARENT}-01`)?.version).toBe('cc');
  });

  it('rejects a future version whose fifth field is not dash-delimited', () => {
    expect(parseTraceparent(`cc-${TRACE}-${PARENT}-01x`)).toBeUndefined();
  });

  it('makes valid random ids', () => {
    const header = formatTraceparent(newTraceId(), newSpanId(), 0);
    expect(parseTraceparent(header)).toBeDefined();
    expect(newTraceId()).not.toBe(newTraceId());
  });

  it('makes a trace id and a span id together in the same shape', () => {
    const a = newTraceAndSpanId();
    const b = newTraceAndSpanId();
    expect(a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(parseTraceparent(formatTraceparent(a.traceId, a.spanId, 1))).toBeDefined();
    expect(new Set([a.traceId, b.traceId]).size).toBe(2);
    expect(new Set([a.spanId, b.spanId]).size).toBe(2);
  });
});

describe('tracestate', () => {
  it('parses members in order and skips empty ones', () => {
    expect(parseTracestate('rojo=00f067aa0ba902b7, ,congo=t61rcWkgMzE')).toEqual([
      ['rojo', '00f067aa0ba902b7'],
      ['congo', 't61rcWkgMzE'],
    ]);
  });

  it('joins several header lines into one list', () => {
    expect(parseTracestate(['a=1', 'b=2'])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('accepts multi-tenant keys', () => {
    expect(parseTracestate('fw529a3039@dt=abc')).toEqual([['fw529a3039@dt', 'abc']]);
  });

  it.each([
    ['a duplicated key', 'a=1,a=2'],
    ['an upper-case key', 'Rojo=1'],
    ['a key starting with a digit (simple key)', '1abc=1'],
    ['a value containing "="', 'a=b=c'],
    ['a member without "="', 'novalue'],
    ['an empty value', 'a='],
    ['a value with a non-printable character', 'a=b\u0001'],
    ['a system id that is too long', 'a@abcdefghijklmnop=1'],
  ])('rejects %s', (_name, header) => {
    expect(parseTracestate(header)).toBeUndefined();
  });

  it('accepts 32 members and rejects 33', () => {
    const members = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join(',');
    expect(parseTracestate(members(32))).toHaveLength(32);
    expect(parseTracestate(members(33))).toBeUndefined();
  });

  it('moves an updated key to the front', () => {
    const state = parseTracestate('a=1,b=2,c=3')!;
    expect(formatTracestate(updateTracestate(state, 'b', 'x'))).toBe('b=x,a=1,c=3');
  });

  it('keeps the formatted header within 512 characters, dropping long members first', () => {
    const long = `big=${'x'.repeat(200)}`;
    const members = [long, ...Array.from({ length: 30 }, (_, i) => `k${i}=${'v'.repeat(10)}`)];
    const formatted = formatTracestate(parseTracestate(members.join(','))!);
    expect(formatted.length).toBeLessThanOrEqual(512);
    expect(formatted).not.toContain('big=');
    expect(formatted.startsWith('k0=')).toBe(true);
  });

  it('refuses to set an invalid key', () => {
    expect(() => updateTracestate(undefined, 'Bad', 'x')).toThrow(TypeError);
  });
});
