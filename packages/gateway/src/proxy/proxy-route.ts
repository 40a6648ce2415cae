import replyFrom from '@fastify/reply-from';
import { currentContext, formatTraceparent, formatTracestate } from '@interlink/core';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import { authenticateUser, streamIdentity, type VerifyUserToken } from '../auth/authenticate-user.js';
import { GatewayError } from '../errors/gateway-error.js';
import { stripClientHeaders, stripHopByHop } from './proxy-headers.js';
import { upstreamPath } from './proxy-path.js';

/** What the signer sees of an upstream request; it returns headers to add (e.g. RFC 9421). */
export interface UpstreamRequest {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
}

/** Signs a proxied request for the upstream (seed 003 finding 16); `@interlink/auth` plugs in here. */
export type SignUpstreamRequest = (request: UpstreamRequest) => Promise<Record<string, string>>;

export interface ProxyOptions {
  /** The upstream's base URL, e.g. `http://orders.internal:3000`. */
  url: string;
  /** Time to the upstream's response headers and between body chunks; 10 s by default. */
  timeoutMs?: number;
  signRequest?: SignUpstreamRequest;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Headers the proxy adds upstream: verified identity and the signer's headers. */
    upstreamHeaders?: Record<string, string>;
  }
}

/** `ALL /api/*`: streams to the upstream both ways, with verified identity and no client spoofing. */
export async function registerProxyRoute(
  app: FastifyInstance,
  options: ProxyOptions & {
    verifyUserToken: VerifyUserToken;
    perIpLimit?: onRequestHookHandler;
    perUserLimit?: preHandlerHookHandler;
  },
): Promise<void> {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  await app.register(async (scope) => {
    // Bodies are streamed to the upstream as they arrive, never parsed or buffered here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await scope.register(replyFrom, {
      base,
      undici: { headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
    });

    const prepare = async (request: FastifyRequest) => {
      const path = upstreamPath(request.raw.url ?? '');
      if (path === undefined) {
        throw new GatewayError('ERR_GATEWAY_PATH_REJECTED', 'The path is not a normalized /api/ path');
      }
      const identity = streamIdentity(await authenticateUser(request, options.verifyUserToken));
      request.gatewayUser = { userId: identity.userId, tenantId: identity.tenantId };
      const headers: Record<string, string> = {
        'x-user-id': identity.userId,
        'x-tenant-id': identity.tenantId,
        'x-request-id': String(request.id),
      };
      // The upstream continues this request's trace as a child of the gateway's span.
      const trace = currentContext()?.trace;
      if (trace) {
        headers.traceparent = formatTraceparent(trace.traceId, trace.spanId, trace.flags);
        if (trace.tracestate) headers.tracestate = formatTracestate(trace.tracestate);
      }
      if (options.signRequest) {
        Object.assign(
          headers,
          await options.signRequest({ method: request.method, url: `${base}${path}`, headers }),
        );
      }
      request.upstreamHeaders = headers;
    };

    scope.all(
      '/api/*',
      {
        config: { securityHeaders: false },
        ...(options.perIpLimit ? { onRequest: options.perIpLimit } : {}),
        preHandler: options.perUserLimit ? [prepare, options.perUserLimit] : prepare,
      },
      (request, reply) => {
        const path = upstreamPath(request.raw.url ?? '')!;
        return reply.from(path, {
          rewriteHeaders: (headers) => stripHopByHop({ ...headers }),
          rewriteRequestHeaders: (_req, headers) => ({
            ...stripClientHeaders({ ...headers }),
            ...request.upstreamHeaders,
          }),
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
      },
    );
  });
}
