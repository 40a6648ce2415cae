/** Request headers as Node, Fastify and undici hand them over, or as a caller writes them. */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/**
 * The headers with lower-case names: the same object when they already are (Node's and Fastify's
 * always are), else a lower-cased copy in which fields that differed only in case are joined into
 * one list. Call it once per request so later look-ups are exact.
 */
export function lowerCaseHeaders(headers: HeaderMap): HeaderMap {
  for (const key in headers) {
    if (key !== key.toLowerCase()) return lowerCasedCopy(headers);
  }
  return headers;
}

function lowerCasedCopy(headers: HeaderMap): HeaderMap {
  const copy: Record<string, string | readonly string[] | number | undefined> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    const existing = copy[name];
    copy[name] =
      existing === undefined || v === undefined
        ? (v ?? existing)
        : [
            ...(Array.isArray(existing) ? existing : [String(existing)]),
            ...(Array.isArray(v) ? v : [String(v)]),
          ];
  }
  return copy;
}
