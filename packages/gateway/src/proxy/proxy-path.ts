// What a path must never contain once decoded, at any depth: a `.` or `..` segment, also with
// Tomcat-style path parameters (`..;x`, `.;`), which Tomcat and Spring read as `..`; a backslash
// (some servers read it as `/`); an empty segment (`//`); NUL or another control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const UNSAFE = /(?:^|\/)\.{1,2}(?:;[^/]*)?(?:\/|$)|\\|\/\/|[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;
// `%` not followed by two hex digits: no decoder agrees on what it means.
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
// Control characters are refused before this is asked.
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
const MAX_DECODES = 3;

/**
 * True when a path layer, and each layer decoded from it, is safe: checked as it is and, when it
 * has non-ASCII characters, once compatibility-normalized (NFKC) too, since servers that normalize
 * Unicode (IIS, Java and Python apps) read full-width dots (U+FF0E), the one-dot leader (U+2024),
 * small full stops (U+FE52) and full-width solidus, reverse solidus and percent sign as `.`, `/`,
 * `\` and `%`. NFKC is idempotent, so the recursion on the normalized form ends.
 */
function isSafe(layer: string, depth: number): boolean {
  if (UNSAFE.test(layer)) return false;
  if (NOT_PRINTABLE_ASCII.test(layer)) {
    const normalized = layer.normalize('NFKC');
    if (normalized !== layer && !isSafe(normalized, depth)) return false;
  }
  if (!layer.includes('%')) return true;
  if (depth === MAX_DECODES) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(layer);
  } catch {
    return false;
  }
  return isSafe(decoded, depth + 1);
}

/**
 * The upstream path for an `/api/*` request, or `undefined` when the path is unsafe. The path is
 * decoded up to three times (encoded and double-encoded traversal: `%2e%2e`, `%252e%252e`,
 * `%EF%BC%8E`) and refused if any layer is unsafe (see {@link isSafe}), does not decode, or a
 * fourth layer of encoding remains; the original, still-encoded path is what goes upstream, so the
 * upstream decodes exactly what was checked (seed 003 finding 9). The query is returned as sent;
 * check it with {@link isMalformedQuery}.
 */
export function upstreamPath(rawUrl: string, prefix = '/api'): string | undefined {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q);
  if (!path.startsWith(`${prefix}/`)) return undefined;
  const rest = path.slice(prefix.length);
  if (!isSafe(rest, 0) || CONTROL.test(query)) return undefined;
  return rest + query;
}

/**
 * True when the query of `rawUrl` has a `%` that is not followed by two hex digits (`?x=%`,
 * `?%zz=1`): what it decodes to depends on the parser, so it is refused rather than forwarded.
 */
export function isMalformedQuery(rawUrl: string): boolean {
  const q = rawUrl.indexOf('?');
  return q !== -1 && BAD_ESCAPE.test(rawUrl.slice(q + 1));
}
