import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` leaves a route without the service's security headers (for example a proxied one). */
    securityHeaders?: boolean;
  }
}

/**
 * Runs helmet's middleware once against a recorder and returns the headers it sets. The headers a
 * configuration produces do not depend on the request, so computing them once gives the same result
 * as running the middleware per request (what @fastify/helmet does, rebuilding it each time: that
 * doubled the CPU cost of a trivial request in bench/service-kit.mjs).
 */
export function helmetHeaders(options: Readonly<HelmetOptions> = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      return recorder;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
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
