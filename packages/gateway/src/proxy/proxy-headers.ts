// Headers a client may not send upstream: identity the gateway asserts itself (seed 003 finding 4),
// service credentials and signatures, the user's own credentials, hop-by-hop headers, and
// forwarding headers the gateway did not write.
const STRIPPED =
  /^(?:x-user-.+|x-user|x-tenant-.+|x-tenant|x-roles|x-permissions|x-internal-.+|x-service-.+|signature|signature-input|authorization|proxy-authorization|cookie|connection|keep-alive|proxy-connection|te|trailer|transfer-encoding|upgrade|forwarded|x-forwarded-.+|x-real-ip)$/i;

/** True for a header the proxy never passes from the client to the upstream. */
export function isStrippedHeader(name: string): boolean {
  return STRIPPED.test(name);
}

/** Removes every stripped header, in place, and returns the object. */
export function stripClientHeaders<T extends Record<string, unknown>>(headers: T): T {
  for (const name of Object.keys(headers)) if (isStrippedHeader(name)) delete headers[name];
  return headers;
}

const HOP_BY_HOP = /^(?:connection|keep-alive|proxy-connection|te|trailer|transfer-encoding|upgrade)$/i;

/** Removes the upstream's hop-by-hop headers from its response: they describe its connection, not ours. */
export function stripHopByHop<T extends Record<string, unknown>>(headers: T): T {
  for (const name of Object.keys(headers)) if (HOP_BY_HOP.test(name)) delete headers[name];
  return headers;
}
