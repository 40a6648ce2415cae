import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { helmetHeaders } from '@interlink/core';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DevUserTokens } from '../auth/dev-user-tokens.js';
import { DEMO_CSS, DEMO_HTML, DEMO_JS } from './demo-assets.js';

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

/**
 * The demo page at `/demo/`, the SDK at `/demo/sdk/`, and a development sign-in. Only for the
 * embedded gateway: its tokens come from {@link DevUserTokens}, which refuse to exist in production.
 */
export async function registerDemoRoutes(
  app: FastifyInstance,
  options: { users: DevUserTokens; sdkDir?: string },
): Promise<void> {
  await app.register(async (scope) => {
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
    scope.post<{ Body: { userId: string; tenantId: string } }>(
      '/demo/sign-in',
      { schema: { body: SignIn } },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return { token: await options.users.mint({ ...request.body, ttlSeconds: 3600 }) };
      },
    );
  });
}
