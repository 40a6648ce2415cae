// What a path must never contain once decoded, at any depth: a `.` or `..` segment, a backslash
// (some servers read it as `/`), an empty segment (`//`), NUL or another control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const UNSAFE = /(?:^|\/)\.{1,2}(?:\/|$)|\\|\/\/|[\u0000-\u001f\u007f]/;
const MAX_DECODES = 3;

/**
 * The upstream path for an `/api/*` request, or `undefined` when the path is unsafe. The path is
 * decoded up to three times (encoded and double-encoded traversal: `%2e%2e`, `%252e%252e`) and
 * refused if any layer is unsafe or a fourth layer of encoding remains; the original, still-encoded
 * path is what goes upstream, so the upstream decodes exactly what was checked (seed 003 finding 9).
 */
export function upstreamPath(rawUrl: string, prefix = '/api'): string | undefined {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q);
  if (!path.startsWith(`${prefix}/`)) return undefined;
  const rest = path.slice(prefix.length);
  let layer = rest;
  for (let depth = 0; ; depth++) {
    if (UNSAFE.test(layer)) return undefined;
    if (!layer.includes('%')) break;
    if (depth === MAX_DECODES) return undefined;
    try {
      layer = decodeURIComponent(layer);
    } catch {
      return undefined;
    }
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(query)) return undefined;
  return rest + query;
}
