// RFC 6750 §2.1: "Bearer" (any case), one or more spaces, then one token without whitespace.
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The token of an `Authorization: Bearer <token>` header, or `undefined` when the header is
 * absent, repeated, uses another scheme or is malformed.
 */
export function bearerToken(header: string | readonly string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  return BEARER.exec(header)?.[1];
}
