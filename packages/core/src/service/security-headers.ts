import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` leaves a route without the service's security headers (for example a proxied one). */
    securityHeaders?: boolean;
  }
}

/**
 * Runs helmet's middleware once against a real, unconnected `ServerResponse` and returns the
 * headers it set. The headers a configuration produces do not depend on the request, so computing
 * them once gives the same result as running the middleware per request (what @fastify/helmet
 * does, rebuilding it each time: that doubled the CPU cost of a trivial request in
 * bench/service-kit.mjs).
 */
export function helmetHeaders(options: Readonly<HelmetOptions> = {}): Record<string, string> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmet(options)(request, response, (error?: unknown) => {
    if (error) throw error;
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

/**
 * The kit's default for JSON APIs, after OWASP's REST Security Cheat Sheet: a CSP that forbids
 * everything (an API response is never a page), no framing, nosniff, HSTS, no referrer; headers that
 * only matter to HTML pages are left out. A service that serves pages passes its own helmet options.
 */
export const API_HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  originAgentCluster: false,
  crossOriginOpenerPolicy: false,
};
