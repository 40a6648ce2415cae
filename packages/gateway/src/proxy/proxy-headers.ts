// Headers a client may not send upstream: identity the gateway asserts itself (seed 003 finding 4),
// service credentials and signatures, the body's digest (the gateway computes it from the bytes it
// forwards), the user's own credentials, hop-by-hop headers, and forwarding headers the gateway did
// not write.
const STRIPPED =
  /^(?:x-user-.+|x-user|x-tenant-.+|x-tenant|x-roles|x-permissions|x-internal-.+|x-service-.+|signature|signature-input|content-digest|authorization|proxy-authorization|cookie|connection|keep-alive|proxy-connection|te|trailer|transfer-encoding|upgrade|forwarded|x-forwarded-.+|x-real-ip)$/i;

/** True for a header the proxy never passes from the client to the upstream. */
export function isStrippedHeader(name: string): boolean {
  return STRIPPED.test(name);
}

/** Removes every stripped header, in place, and returns the object. */
export function stripClientHeaders<T extends Record<string, unknown>>(headers: T): T {
  for (const name of Object.keys(headers)) if (isStrippedHeader(name)) delete headers[name];
  return headers;
}

/**
 * The client's headers that go upstream, one string each: every header but the stripped ones, those
 * the client's `Connection` header names (hop-by-hop by declaration), `host` (the upstream's own is
 * set when sending) and `content-length` (set from the bytes forwarded). What the signer covers is
 * taken from this set, so it is exactly what the upstream receives.
 */
export function forwardedHeaders(
  incoming: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const listed = new Set(
    String(incoming.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name === 'host' || name === 'content-length') continue;
    if (isStrippedHeader(name) || listed.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const HOP_BY_HOP = /^(?:connection|keep-alive|proxy-connection|te|trailer|transfer-encoding|upgrade)$/i;

/** Removes the upstream's hop-by-hop headers from its response: they describe its connection, not ours. */
export function stripHopByHop<T extends Record<string, unknown>>(headers: T): T {
  for (const name of Object.keys(headers)) if (HOP_BY_HOP.test(name)) delete headers[name];
  return headers;
}
