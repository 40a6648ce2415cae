import type { FastifyInstance, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import { authenticateUser, streamIdentity, type VerifyUserToken } from '../auth/authenticate-user.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { StreamTokens } from './stream-tokens.js';

export interface TokenRouteOptions {
  tokens: StreamTokens;
  verifyUserToken: VerifyUserToken;
  metrics: GatewayMetrics;
  /** Runs before authentication: strict per-IP limit (seed 003 finding 6). */
  perIpLimit?: onRequestHookHandler;
  /** Runs after authentication: per-user limit. */
  perUserLimit?: preHandlerHookHandler;
}

/** `POST /events/token`: exchanges a user JWT (in a header) for a short-lived opaque stream token. */
export function registerTokenRoute(app: FastifyInstance, options: TokenRouteOptions): void {
  const authenticate: preHandlerHookHandler = async (request) => {
    const identity = streamIdentity(await authenticateUser(request, options.verifyUserToken));
    request.gatewayUser = identity;
  };
  app.post(
    '/events/token',
    {
      ...(options.perIpLimit ? { onRequest: options.perIpLimit } : {}),
      preHandler: options.perUserLimit ? [authenticate, options.perUserLimit] : [authenticate],
    },
    async (request, reply) => {
      const issued = await options.tokens.issue(request.gatewayUser!);
      options.metrics.tokensIssued.inc();
      // The token is a credential: never cached by a browser or a proxy.
      reply.header('cache-control', 'no-store');
      return issued;
    },
  );
}
