// Test support for the signer tests, named *.test.helper.ts like ../testing/*: vitest does not collect
// it, and the package's `files` (`!dist/**/*.test.*`) leaves it out of what is published.
import type { IncomingHttpHeaders } from 'node:http';
import { type AuthPluginOptions, authPlugin } from '@interlink/auth';
import { createService, type Principal, type Service } from '@interlink/core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ServiceClient } from '../client/create-service-client.js';
import { clientFactory } from '../testing/client-factory.test.helper.js';
import type { RequestSigner } from './request-signer.js';

/** The request as the target's route handler got it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  principal?: Principal | undefined;
}

export interface VerifyingTargetOptions<Seen> {
  /** The target's service name; its clients call it by this name. */
  name: string;
  method: 'GET' | 'POST';
  /** The target's one route, e.g. `/internal/tickets/:id`. */
  path: string;
  /**
   * auth's plugin on the target, the route requiring a calling service: only requests the plugin
   * verified reach the route. Without it every request reaches the route, and `record` verifies.
   */
  auth?: AuthPluginOptions;
  /** What the test keeps of each request that reached the route. */
  record(request: ReceivedRequest): Seen | Promise<Seen>;
  /** The answer (200) to a request that reached the route and was not failed. */
  answer: unknown;
}

export interface VerifyingTarget<Seen> {
  /** What `record` kept of each request that reached the route, in order; emptied after each test. */
  readonly seen: Seen[];
  /** Answers the next `count` requests that reach the route with 503 (after recording them). */
  failNext(count: number): void;
  /** A client of the target signing with `signer`, that retries (3 attempts); closed after each test. */
  client(signer: RequestSigner): ServiceClient;
}

/**
 * A real target service (core's kit on 127.0.0.1, port 0) with one route, started before the test
 * file's tests and closed after them; registers the vitest hooks, so call it at the top of the file.
 */
export function useVerifyingTarget<Seen>(options: VerifyingTargetOptions<Seen>): VerifyingTarget<Seen> {
  const seen: Seen[] = [];
  let failuresLeft = 0;
  let target: Service | undefined;
  let url = '';
  const client = clientFactory(() => ({
    service: options.name,
    baseUrl: url,
    production: false,
    breaker: false,
    // ~20 ms between attempts, so the millisecond timestamps of two attempts differ.
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 20 },
    random: () => 0.99,
  }));

  beforeAll(async () => {
    target = createService({ name: options.name, logLevel: 'silent', helmet: false });
    if (options.auth) await target.app.register(authPlugin, options.auth);
    target.app.route({
      method: options.method,
      url: options.path,
      config: options.auth ? { auth: 'service' } : {},
      handler: async (request, reply) => {
        seen.push(await options.record(request));
        if (failuresLeft > 0) {
          failuresLeft--;
          return reply.code(503).send({ code: 'ERR_SERVICE_UNAVAILABLE' });
        }
        return options.answer;
      },
    });
    url = await target.listen({ handleSignals: false });
  });
  afterEach(() => {
    seen.length = 0;
    failuresLeft = 0;
  });
  afterAll(() => target?.close());

  return {
    seen,
    failNext(count) {
      failuresLeft = count;
    },
    client: (signer) => client({ signer }),
  };
}
