/** An absolute URL's parts as the WHATWG URL parser gives them (`protocol` without `:`, `host`, `pathname`, `search`). */
export interface UrlTarget {
  scheme: string;
  authority: string;
  path: string;
  query: string;
}

// Characters the URL parser leaves as they are in an http(s) path and query (RFC 3986 unreserved and
// sub-delims, `:`, `@`, `/`, and `%` starting an escape); the query also keeps `?` but not `'`.
const SAFE_PATH = /^(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*$/;
const SAFE_QUERY = /^\?(?:[A-Za-z0-9\-._~!$&()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
// A `.` or `..` segment, written with dots or `%2e`: the parser removes them.
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;
const MAX_ORIGINS = 256;

/**
 * A resolver of absolute `http(s)` URLs into their parts, equal to `new URL(url)`'s, for a signer
 * that signs many requests to few origins: each origin (scheme, userinfo, host, port: everything the
 * parser may rewrite) is parsed once by `URL` and remembered, and a path and query made only of
 * characters the parser keeps unchanged are taken as they are. Anything else goes through `URL`
 * whole. Parsing every URL was a fifth of the cost of signing; `url-target-resolver.test.ts` holds
 * the results equal to `URL`'s on generated input.
 */
export function createUrlTargetResolver(): (url: string) => UrlTarget {
  const origins = new Map<string, Origin>();
  // The origin of the previous URL: a signer's URLs mostly share one, and comparing with it skips
  // the scan, the slice and the hashing of a fresh string for the Map look-up.
  let lastText = '';
  let last: Origin | undefined;
  return (url) => {
    let end = lastText.length;
    if (last !== undefined && url.startsWith(lastText)) {
      // The same origin only if the authority ends where the previous one did.
      const c = end < url.length ? url.charCodeAt(end) : 0x2f;
      if (c === 0x2f || c === 0x3f || c === 0x23 || c === 0x5c) {
        return splitTarget(url, end, last) ?? parseUrl(url);
      }
    }
    end = authorityEnd(url);
    if (end === -1) return parseUrl(url);
    const originText = url.slice(0, end);
    let origin = origins.get(originText);
    if (!origin) {
      const parsed = parseUrl(originText);
      origin = { scheme: parsed.scheme, authority: parsed.authority };
      if (origins.size >= MAX_ORIGINS) origins.clear();
      origins.set(originText, origin);
    }
    lastText = originText;
    last = origin;
    return splitTarget(url, end, origin) ?? parseUrl(url);
  };
}

/**
 * A resolver of `origin + path` given apart, as `@interlink/client` knows them (its target's
 * origin, the same string on every call, and the path and query it sends), with the results of
 * {@link createUrlTargetResolver} on the joined URL: the origin is checked and parsed once while it
 * stays the same, so a call costs the path's checks alone. `resolveUrl` takes anything unusual.
 */
export function createOriginPathResolver(
  resolveUrl: (url: string) => UrlTarget,
): (origin: string, path: string) => UrlTarget {
  let lastOrigin: string | undefined;
  let last: Origin = { scheme: '', authority: '' };
  return (origin, path) => {
    // A path not starting with `/` would change where the authority ends (`http://a:1` + `@b`).
    if (path.charCodeAt(0) !== 0x2f) return resolveUrl(origin + path);
    if (origin !== lastOrigin) {
      lastOrigin = undefined;
      // Only `scheme://authority`: with anything after the authority the join is parsed whole.
      if (authorityEnd(origin) !== origin.length) return resolveUrl(origin + path);
      const parsed = resolveUrl(origin);
      last = { scheme: parsed.scheme, authority: parsed.authority };
      lastOrigin = origin;
    }
    return splitTarget(path, 0, last) ?? resolveUrl(origin + path);
  };
}

interface Origin {
  scheme: string;
  authority: string;
}

function parseUrl(url: string): UrlTarget {
  const parsed = new URL(url);
  return {
    scheme: parsed.protocol.slice(0, -1),
    authority: parsed.host,
    path: parsed.pathname,
    query: parsed.search,
  };
}

/**
 * Where the authority of an `http(s)` URL ends (at `/`, `?`, `#`, `\` or the end), or -1 when the
 * URL parser may rewrite anything up to there.
 */
function authorityEnd(url: string): number {
  const start = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  if (start === -1) return -1;
  let end = start;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    // `/`, `?`, `#` and `\` end the authority.
    if (c === 0x2f || c === 0x3f || c === 0x23 || c === 0x5c) break;
    // Spaces and controls (trimmed or dropped by the parser, which can only see the whole URL
    // do that right) and non-ASCII: the whole URL goes to the parser.
    if (c <= 0x20 || c >= 0x7f) return -1;
    end++;
  }
  // No authority before the path (`http:///x`): the parser skips the extra slashes; let it.
  return end === start ? -1 : end;
}

/** The parts of `url` from `end` on, after `origin`'s authority; undefined when the parser would rewrite them. */
function splitTarget(url: string, end: number, origin: Origin): UrlTarget | undefined {
  const q = url.indexOf('?', end);
  const path = url.slice(end, q === -1 ? url.length : q);
  const query = q === -1 ? '' : url.slice(q);
  if (!SAFE_PATH.test(path) || DOT_SEGMENT.test(path) || (query !== '' && !SAFE_QUERY.test(query))) {
    return undefined;
  }
  return {
    scheme: origin.scheme,
    authority: origin.authority,
    path: path === '' ? '/' : path,
    // `URL` reports an empty query (a lone `?`) as no query.
    query: query === '?' ? '' : query,
  };
}
