import type { HeaderMap } from '@interlink/core';

/**
 * The parts of an HTTP request a signature covers, independent of any HTTP library. Give either an
 * absolute `url`, or an origin-form `url` (`/path?query`) with the `host` header or `authority`, or
 * `authority`, `path` and `query` separately.
 */
export interface SignableRequest {
  method: string;
  /** Absolute (`https://svc/x?y=1`, or a `URL`) or origin-form (`/x?y=1`) request target. */
  url?: string | URL;
  /** Host and port, as the `Host` header carries it; wins over the URL's. */
  authority?: string;
  /** Absolute path, not decoded; `/` when empty. */
  path?: string;
  /** The query string with or without the leading `?`; empty or absent when there is none. */
  query?: string;
  /** `http` or `https`; only needed for `@scheme`/`@target-uri` and default-port removal. */
  scheme?: string;
  headers: HeaderMap;
  /** The raw body bytes exactly as sent; the content digest is computed over these. */
  body?: Uint8Array | string;
  /**
   * The authorities (`host[:port]`) the receiver answers to, from its own configuration (the
   * Fastify plugin sets it), never from the request: the signed `@authority` must be one of them.
   * A verifier's own `authority` option wins.
   */
  expectedAuthority?: string | readonly string[];
}

/** The parts of an HTTP response a signature covers (RFC 9421 §2.2.9, §2.4). */
export interface SignableResponse {
  status: number;
  headers: HeaderMap;
  body?: Uint8Array | string;
  /** The request this response answers: the source of components marked `;req`. */
  request?: SignableRequest;
}

/** A request or a response. */
export type SignableMessage = SignableRequest | SignableResponse;

/** True for a response (it has a status). */
export function isResponse(message: SignableMessage): message is SignableResponse {
  return typeof (message as SignableResponse).status === 'number';
}

/** A request's target, resolved once. */
export interface ResolvedTarget {
  authority: string;
  path: string;
  /** Always starts with `?` (a lone `?` when there is no query, as RFC 9421 §2.2.7 says). */
  query: string;
  scheme: string | undefined;
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/** An authority as compared and signed: trimmed, lower-case, without the scheme's default port. */
export function normalizeAuthority(authority: string, scheme: string | undefined): string {
  const lower = authority.trim().toLowerCase();
  const port = scheme ? DEFAULT_PORTS[scheme] : undefined;
  return port && lower.endsWith(`:${port}`) ? lower.slice(0, -(port.length + 1)) : lower;
}

/** Splits the request into authority, path and query (RFC 9421 §2.2). */
export function resolveTarget(request: SignableRequest): ResolvedTarget {
  let authority = request.authority;
  let path = request.path;
  let query = request.query;
  let scheme = request.scheme?.toLowerCase();
  const url = request.url;
  if (url !== undefined && (path === undefined || authority === undefined)) {
    if (typeof url !== 'string') {
      scheme ??= url.protocol.slice(0, -1);
      authority ??= url.host;
      path ??= url.pathname;
      query ??= url.search;
    } else if (url.startsWith('/')) {
      // Origin form: keep the bytes the client sent, no URL normalization (the signer's exact path).
      const q = url.indexOf('?');
      path ??= q === -1 ? url : url.slice(0, q);
      query ??= q === -1 ? '' : url.slice(q);
    } else {
      const parsed = new URL(url);
      scheme ??= parsed.protocol.slice(0, -1);
      authority ??= parsed.host;
      path ??= parsed.pathname;
      query ??= parsed.search;
    }
  }
  if (authority === undefined) {
    // HTTP/2 carries the authority as a pseudo-header; Node's compatibility layer keeps it there.
    authority = fieldValue(request.headers, 'host') ?? fieldValue(request.headers, ':authority') ?? '';
  }
  if (!path) path = '/';
  query = query ? (query.startsWith('?') ? query : `?${query}`) : '?';
  return { authority: normalizeAuthority(authority, scheme), path, query, scheme };
}

/**
 * The value of a header field as RFC 9421 §2.1 canonicalizes it: trimmed, repeated fields joined
 * with `, `; `undefined` when absent. `name` is lower-case, and so must the map's names be
 * (core's `lowerCaseHeaders`).
 */
export function fieldValue(headers: HeaderMap, name: string): string | undefined {
  return canonicalFieldValue(headers[name]);
}

/**
 * {@link fieldValue} of a value already read from the headers. Callers that know the name read it
 * with a constant key (`headers['signature']`), a look-up V8 caches per call site, where
 * `headers[name]` with many names in one function is not.
 */
export function canonicalFieldValue(
  raw: string | readonly string[] | number | undefined,
): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return isTrimmed(raw) ? raw : raw.trim();
  if (typeof raw === 'number') return String(raw);
  return raw.map((v) => v.trim()).join(', ');
}

/**
 * True when `trim()` would return `value` unchanged: empty, or starting and ending with visible
 * ASCII. Header values nearly always are, and the check skips the builtin call.
 */
function isTrimmed(value: string): boolean {
  if (value.length === 0) return true;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f;
}

/** The body as bytes (strings are UTF-8). */
export function bodyBytes(body: Uint8Array | string | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
