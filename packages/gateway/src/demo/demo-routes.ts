import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { helmetHeaders } from '@interlink/core';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DevUserTokens } from '../auth/dev-user-tokens.js';
import { GatewayError } from '../errors/gateway-error.js';
import { DEMO_CSS, DEMO_HTML, DEMO_JS } from './demo-assets.js';
import { isLoopbackAddress } from './loopback.js';

/** Where the built browser SDK is (`packages/realtime-client/dist`). */
export function realtimeClientDist(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@interlink/realtime-client/package.json')), 'dist');
}

// A page, unlike the API: its own scripts and styles, nothing inline, nothing from elsewhere.
const DEMO_HEADERS = helmetHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
});

const SignIn = Type.Object(
  {
    userId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    tenantId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  },
  { additionalProperties: false },
);

export interface DemoRoutesOptions {
  users: DevUserTokens;
  sdkDir?: string;
  /** Serve `POST /demo/sign-in`; on by default (the embedded gateway decides from its `HOST`). */
  signIn?: boolean;
  /** Sign-ins per client address per minute; 30 by default. */
  signInPerMinute?: number;
}

/**
 * The demo page at `/demo/`, the SDK at `/demo/sdk/`, and a development sign-in that mints a JWT
 * for any user it is asked for, so it answers loopback clients only (the socket's address and, behind
 * a trusted proxy, the forwarded one), rate-limited. Only for the embedded gateway: its tokens come
 * from {@link DevUserTokens}, which refuse to exist in production.
 */
export async function registerDemoRoutes(app: FastifyInstance, options: DemoRoutesOptions): Promise<void> {
  await app.register(async (scope) => {
    // The gateway's own limiter (its store and its problem answers) when there is one.
    if (!scope.hasDecorator('rateLimit')) await scope.register(rateLimit, { global: false });
    scope.addHook('onRequest', (_request, reply, done) => {
      reply.headers(DEMO_HEADERS);
      done();
    });
    await scope.register(fastifyStatic, {
      root: options.sdkDir ?? realtimeClientDist(),
      prefix: '/demo/sdk/',
      allowedPath: (path) => path.endsWith('.js') && !path.includes('.test.'),
      index: false,
    });
    scope.get('/demo', (_request, reply) => reply.redirect('/demo/'));
    scope.get('/demo/', (_request, reply) => reply.type('text/html; charset=utf-8').send(DEMO_HTML));
    scope.get('/demo/app.js', (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').send(DEMO_JS),
    );
    scope.get('/demo/app.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(DEMO_CSS));
    if (options.signIn === false) return;
    scope.post<{ Body: { userId: string; tenantId: string } }>(
      '/demo/sign-in',
      {
        schema: { body: SignIn },
        onRequest: [
          async (request) => {
            if (!isLoopbackAddress(request.socket.remoteAddress) || !isLoopbackAddress(request.ip)) {
              throw new GatewayError(
                'ERR_GATEWAY_SIGN_IN_REFUSED',
                'The development sign-in answers loopback clients only',
              );
            }
          },
          scope.rateLimit({
            max: options.signInPerMinute ?? 30,
            timeWindow: 60_000,
            keyGenerator: (request) => `demo-sign-in:${request.ip}`,
          }),
        ],
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return { token: await options.users.mint({ ...request.body, ttlSeconds: 3600 }) };
      },
    );
  });
}
