import { createHexPool } from './random-pool.js';

/** A parsed W3C `traceparent` (Trace Context Level 1) plus the `tracestate` that came with it. */
export interface TraceParent {
  version: string;
  traceId: string;
  parentId: string;
  /** The trace flags byte; bit 0 is `sampled`. */
  flags: number;
}

const HEX = /^[0-9a-f]+$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);

/**
 * Parses a `traceparent` header by the letter of W3C Trace Context: lower-case hex only, version `ff`
 * invalid, version `00` exactly 55 characters, a higher version parsed by its first four fields
 * (anything after them must start with `-`), all-zero trace or parent ids invalid. Returns
 * `undefined` for anything invalid, so the caller starts a new trace as the spec requires.
 */
export function parseTraceparent(header: string | undefined | null): TraceParent | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  if (value.length < 55) return undefined;
  const version = value.slice(0, 2);
  if (!HEX.test(version) || version === 'ff') return undefined;
  if (version === '00' && value.length !== 55) return undefined;
  if (value.length > 55 && value[55] !== '-') return undefined;
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  const traceId = value.slice(3, 35);
  const parentId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (!HEX.test(traceId) || !HEX.test(parentId) || !HEX.test(flags)) return undefined;
  if (traceId === ZERO_TRACE_ID || parentId === ZERO_PARENT_ID) return undefined;
  return { version, traceId, parentId, flags: Number.parseInt(flags, 16) };
}

/** Formats a version-00 `traceparent`; this implementation always emits version 00. */
export function formatTraceparent(traceId: string, spanId: string, flags: number): string {
  return `00-${traceId}-${spanId}-${(flags & 0xff).toString(16).padStart(2, '0')}`;
}

// Ids are cut from a pool of 4 KiB of random bytes, hex-encoded once per refill: one randomBytes call
// per ~170 requests instead of two per request, and a substring per id. Trace ids are not secrets,
// so one pool serves the process.
const randomHex = createHexPool(4096);

/** A new random 16-byte trace id, never all zeros. */
export function newTraceId(): string {
  let id = randomHex(32);
  while (id === ZERO_TRACE_ID) id = randomHex(32);
  return id;
}

/** A new random 8-byte span (parent) id, never all zeros. */
export function newSpanId(): string {
  let id = randomHex(16);
  while (id === ZERO_PARENT_ID) id = randomHex(16);
  return id;
}

/** A new request id: 32 random hex digits. Request ids are not secrets either. */
export function newRequestId(): string {
  return randomHex(32);
}

/** A new trace id and span id, as {@link newTraceId} and {@link newSpanId} give them. */
export function newTraceAndSpanId(): { traceId: string; spanId: string } {
  let traceId = randomHex(32);
  let spanId = randomHex(16);
  // The first-character test skips a full string comparison for 15 ids in 16.
  if (traceId.charCodeAt(0) === 48 && traceId === ZERO_TRACE_ID) traceId = newTraceId();
  if (spanId.charCodeAt(0) === 48 && spanId === ZERO_PARENT_ID) spanId = newSpanId();
  return { traceId, spanId };
}

/** `tracestate` as an ordered list of key/value pairs, most recently updated vendor first. */
export type TraceState = ReadonlyArray<readonly [key: string, value: string]>;

/** At most 32 list members (W3C Trace Context §3.3.1.1). */
export const TRACESTATE_MAX_MEMBERS = 32;
/** Propagators should keep `tracestate` to 512 characters, dropping whole members past that. */
export const TRACESTATE_MAX_LENGTH = 512;

const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const MULTI_TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13}$/;
// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

function isValidKey(key: string): boolean {
  return SIMPLE_KEY.test(key) || MULTI_TENANT_KEY.test(key);
}

/**
 * Parses `tracestate`. Several header lines may be given (they are one comma-joined list). Empty list
 * members are skipped; a malformed member, a duplicated key or more than 32 members makes the whole
 * header invalid and `undefined` is returned, so it is not propagated.
 */
export function parseTracestate(
  header: string | readonly string[] | undefined | null,
): TraceState | undefined {
  if (header === undefined || header === null) return undefined;
  const joined = typeof header === 'string' ? header : header.join(',');
  const members: Array<readonly [string, string]> = [];
  const seen = new Set<string>();
  for (const raw of joined.split(',')) {
    const member = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!isValidKey(key) || !VALUE.test(value) || seen.has(key)) return undefined;
    seen.add(key);
    members.push([key, value]);
    if (members.length > TRACESTATE_MAX_MEMBERS) return undefined;
  }
  return members;
}

/**
 * Formats `tracestate`, keeping it within 512 characters: members longer than 128 characters go
 * first, then members from the end of the list, as the spec recommends.
 */
export function formatTracestate(state: TraceState): string {
  let members = state.slice(0, TRACESTATE_MAX_MEMBERS).map(([k, v]) => `${k}=${v}`);
  const length = () => members.reduce((n, m) => n + m.length, 0) + Math.max(0, members.length - 1);
  while (length() > TRACESTATE_MAX_LENGTH) {
    const long = members.findLastIndex((m) => m.length > 128);
    members = long >= 0 ? members.filter((_, i) => i !== long) : members.slice(0, -1);
  }
  return members.join(',');
}

/**
 * Returns a new `tracestate` with `key` set to `value` and moved to the front, as a vendor does when
 * it takes part in a trace. Throws on an invalid key or value.
 */
export function updateTracestate(state: TraceState | undefined, key: string, value: string): TraceState {
  if (!isValidKey(key)) throw new TypeError(`Invalid tracestate key: ${key}`);
  if (!VALUE.test(value)) throw new TypeError(`Invalid tracestate value for ${key}`);
  const rest = (state ?? []).filter(([k]) => k !== key);
  return [[key, value] as const, ...rest].slice(0, TRACESTATE_MAX_MEMBERS);
}
