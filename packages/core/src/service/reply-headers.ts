import type { FastifyReply } from 'fastify';

/** Sets the request id header and, when asked, the fixed security headers on a reply. */
export type ReplyHeaderWriter = (reply: FastifyReply, requestId: string, withFixedHeaders: boolean) => void;

// The description Fastify 5 gives the symbol of a reply's own header object (lib/symbols.js).
const REPLY_HEADERS_DESCRIPTION = 'fastify.reply.headers';

/**
 * Finds the symbol under which Fastify keeps a reply's headers (lower-case name to value), or
 * `undefined` when this Fastify keeps them some other way.
 */
export function findReplyHeaderStore(reply: FastifyReply): symbol | undefined {
  for (const key of Object.getOwnPropertySymbols(reply)) {
    if (key.description !== REPLY_HEADERS_DESCRIPTION) continue;
    const store = (reply as unknown as Record<symbol, unknown>)[key];
    if (store !== null && typeof store === 'object' && !Array.isArray(store)) return key;
  }
  return undefined;
}

/**
 * A writer for the headers every response carries. `reply.header()` lower-cases the name and checks
 * for `set-cookie` on every call: for ten headers about 6 % of the kit's instructions per request
 * (callgrind, bench/service-kit.mjs). These names are lower-cased once here and stored as
 * `reply.header()` stores them; where Fastify's header object cannot be found, the public API is used.
 */
export function replyHeaderWriter(
  requestIdHeader: string,
  fixedHeaders: Readonly<Record<string, string>> | undefined,
): ReplyHeaderWriter {
  const idName = requestIdHeader.toLowerCase();
  const names = Object.keys(fixedHeaders ?? {}).map((name) => name.toLowerCase());
  const values = Object.values(fixedHeaders ?? {});
  const publicOnly = idName === 'set-cookie' || names.includes('set-cookie');
  let store: symbol | undefined;
  let looked = false;
  return (reply, requestId, withFixedHeaders) => {
    if (!looked) {
      store = publicOnly ? undefined : findReplyHeaderStore(reply);
      looked = true;
    }
    if (store === undefined) {
      reply.header(idName, requestId);
      if (withFixedHeaders && fixedHeaders) reply.headers(fixedHeaders);
      return;
    }
    const headers = (reply as unknown as Record<symbol, Record<string, string>>)[store]!;
    headers[idName] = requestId;
    if (!withFixedHeaders) return;
    for (let i = 0; i < names.length; i++) headers[names[i]!] = values[i]!;
  };
}
