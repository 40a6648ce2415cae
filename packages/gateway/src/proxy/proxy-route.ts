import replyFrom from '@fastify/reply-from';
import { formatTraceparent, formatTracestate } from '@interlink/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { authenticateUser, streamIdentity, type VerifyUserToken } from '../auth/authenticate-user.js';
import { GatewayError } from '../errors/gateway-error.js';
import { gatewayErrorFor, gatewayProblemHandler } from '../errors/gateway-problem-handler.js';
import { forwardedHeaders, stripHopByHop } from './proxy-headers.js';
import { isMalformedQuery, upstreamPath } from './proxy-path.js';

/** What the signer sees of an upstream request; it returns headers to add (e.g. RFC 9421). */
export interface UpstreamRequest {
  method: string;
  url: string;
  /**
   * Every header the upstream receives but `host` and `content-length`: the client's that pass
   * (`content-type`, `idempotency-key`, ...) and the gateway's (identity, request id, trace).
   */
  headers: Readonly<Record<string, string>>;
  /** The exact body bytes forwarded, when the request has a non-empty body. */
  body?: Uint8Array;
}

/** Signs a proxied request for the upstream (seed 003 finding 16); `@interlink/auth` plugs in here. */
export type SignUpstreamRequest = (request: UpstreamRequest) => Promise<Record<string, string>>;

/** The default largest proxied body: 1 MiB, the body limit of core's services behind the gateway. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ProxyOptions {
  /** The upstream's base URL, e.g. `http://orders.internal:3000`. */
  url: string;
  /** Time to the upstream's response headers and between body chunks; 10 s by default. */
  timeoutMs?: number;
  /**
   * Largest request body forwarded, in bytes; 1 MiB by default. Bodies are read whole before they
   * go upstream (the signature covers their digest); a larger one is refused with 413.
   */
  maxBodyBytes?: number;
  signRequest?: SignUpstreamRequest;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Where the proxy sends the request, and the headers it sends (identity, signature). */
    upstream?: { path: string; headers: Record<string, string> };
  }
}

/**
 * `ALL /api/*`: checks the path and query, authenticates, applies the per-user limit, reads the body (up to `maxBodyBytes`),
 * signs, then streams the upstream's response back, with verified identity and no client spoofing.
 */
export async function registerProxyRoute(
  app: FastifyInstance,
  options: ProxyOptions & {
    verifyUserToken: VerifyUserToken;
    perIpLimit?: onRequestHookHandler;
    /** Checked right after authentication, before the body is read: a user over the limit never makes the gateway read a body. */
    perUserLimit?: onRequestHookHandler;
    /** Headers the gateway's own responses carry (security headers): its problems here get them too. */
    responseHeaders?: Readonly<Record<string, string>>;
  },
): Promise<void> {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new GatewayError('ERR_GATEWAY_CONFIG', 'upstream.maxBodyBytes must be an integer of at least 1');
  }
  const problem = gatewayProblemHandler(options.responseHeaders, (error) =>
    error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      ? new GatewayError('ERR_GATEWAY_BODY_TOO_LARGE', `The body is larger than ${maxBodyBytes} bytes`, {
          extensions: { maxBodyBytes },
        })
      : gatewayErrorFor(error),
  );
  await app.register(async (scope) => {
    // Bodies are read whole, so the signature can cover their digest (a header sent before the
    // body): Fastify's reader refuses a larger Content-Length before reading and stops a chunked
    // body as soon as it passes the limit.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler(problem);
    await scope.register(replyFrom, {
      base,
      undici: { headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
    });

    // Before the body is read: a request with a bad URL or no user costs no buffering.
    const admit = async (request: FastifyRequest) => {
      const url = request.raw.url ?? '';
      if (isMalformedQuery(url)) {
        throw new GatewayError('ERR_GATEWAY_URL_MALFORMED', 'The query has a malformed percent-escape');
      }
      const path = upstreamPath(url);
      if (path === undefined) {
        throw new GatewayError('ERR_GATEWAY_PATH_REJECTED', 'The path is not a normalized /api/ path');
      }
      const identity = streamIdentity(await authenticateUser(request, options.verifyUserToken));
      request.gatewayUser = { userId: identity.userId, tenantId: identity.tenantId };
      request.upstream = { path, headers: {} };
    };

    const sign = async (request: FastifyRequest) => {
      const upstream = request.upstream!;
      const user = request.gatewayUser!;
      const headers = forwardedHeaders(request.headers);
      headers['x-user-id'] = user.userId;
      headers['x-tenant-id'] = user.tenantId;
      headers['x-request-id'] = String(request.id);
      // The upstream continues this request's trace as a child of the gateway's span. Read from the
      // request, not the async context: the body's last chunk, not the request hook, resumed us.
      const trace = request.interlink?.trace;
      if (trace) {
        headers.traceparent = formatTraceparent(trace.traceId, trace.spanId, trace.flags);
        if (trace.tracestate) headers.tracestate = formatTracestate(trace.tracestate);
        else delete headers.tracestate;
      }
      const body = bodyOf(request);
      if (options.signRequest) {
        const signed = await options.signRequest({
          method: request.method,
          url: `${base}${upstream.path}`,
          headers,
          ...(body && body.length > 0 ? { body } : {}),
        });
        Object.assign(headers, signed);
      }
      if (body) headers['content-length'] = String(body.length);
      upstream.headers = headers;
    };

    scope.all(
      '/api/*',
      {
        config: { securityHeaders: false },
        // Per IP, then the path checks and authentication, then per user: all before the body is read.
        onRequest: [
          ...(options.perIpLimit ? [options.perIpLimit] : []),
          admit,
          ...(options.perUserLimit ? [options.perUserLimit] : []),
        ],
        preHandler: sign,
      },
      (request, reply) => forward(request, reply),
    );

    function forward(request: FastifyRequest, reply: FastifyReply) {
      const { path, headers } = request.upstream!;
      const body = bodyOf(request);
      const q = path.indexOf('?');
      // The path alone: reply-from appends the client's query as sent, without decoding it.
      return reply.from(q === -1 ? path : path.slice(0, q), {
        // With a content type, reply-from sends the bytes as they are (it JSON-encodes otherwise);
        // the headers sent are the signed ones below, whatever reply-from set.
        ...(body ? { body, contentType: 'application/octet-stream' } : {}),
        rewriteHeaders: (upstreamHeaders) => stripHopByHop({ ...upstreamHeaders }),
        rewriteRequestHeaders: (_req, sent) => ({ ...headers, host: sent.host }),
        onError: (errorReply, { error }) => {
          const timedOut =
            (error as { statusCode?: number }).statusCode === 504 ||
            /timeout/i.test((error as { code?: string }).code ?? '');
          request.log.warn({ err: error }, 'upstream request failed');
          errorReply.send(
            timedOut
              ? new GatewayError('ERR_GATEWAY_UPSTREAM_TIMEOUT', 'The upstream did not answer in time')
              : new GatewayError('ERR_GATEWAY_UPSTREAM_FAILED', 'The upstream could not be reached'),
          );
        },
      });
    }
  });
}

/** The buffered body, when Fastify read one (never for GET and HEAD, which it does not read). */
function bodyOf(request: FastifyRequest): Buffer | undefined {
  return Buffer.isBuffer(request.body) ? request.body : undefined;
}
