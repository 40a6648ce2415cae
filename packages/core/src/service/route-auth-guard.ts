import type { FastifyInstance, RouteOptions } from 'fastify';
import { CoreError } from '../errors/interlink-error.js';

/** Route option objects an auth plugin has put its check on (the objects `onRoute` hooks receive). */
const enforced = new WeakSet<object>();

/**
 * Called by an auth plugin (`@interlink/auth`'s does) from its `onRoute` hook once it has attached
 * its check to `route`, so the service kit knows the route's `config.auth` is enforced.
 */
export function markRouteAuthEnforced(route: object): void {
  enforced.add(route);
}

function asksForAuth(route: RouteOptions): boolean {
  const config = route.config as { auth?: unknown } | undefined;
  return config?.auth !== undefined;
}

/**
 * Refuses to start an app in which a route declares `config: { auth }` but no auth plugin enforced
 * it: a route added before the plugin was registered, or in a context the plugin does not reach,
 * would otherwise answer everyone. Installed first, so its `onRoute` hook sees every route, and
 * checked when the app is ready, so registration order does not matter.
 */
export function installRouteAuthGuard(app: FastifyInstance, service: string): void {
  const asking: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    if (asksForAuth(route)) asking.push(route);
  });
  app.addHook('onReady', async () => {
    const open = asking.filter((route) => !enforced.has(route));
    if (open.length === 0) return;
    const routes = open.map((route) => `${String(route.method)} ${route.url}`);
    throw new CoreError(
      'ERR_ROUTE_AUTH_NOT_ENFORCED',
      `${service}: ${routes.join(', ')} ${routes.length === 1 ? 'declares' : 'declare'} config.auth but no auth plugin enforces it; register the auth plugin (e.g. @interlink/auth's authPlugin) before these routes, in a context that contains them`,
      { extensions: { routes } },
    );
  });
}
