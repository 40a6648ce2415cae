import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import { contractRouteOptions } from './fastify-route.js';
import type { ServiceContract } from './service-contract.js';

/** An OpenAPI 3.1 document, as `@fastify/swagger` produces it. */
export type OpenApiDocument = ReturnType<ReturnType<typeof Fastify>['swagger']>;

/**
 * The OpenAPI 3.1 document of a contract, made by `@fastify/swagger` from the very route options a
 * service registers ({@link contractRouteOptions}), so the document cannot describe another API.
 */
export async function openApiDocument(contract: ServiceContract): Promise<OpenApiDocument> {
  const app = Fastify({ logger: false });
  try {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: contract.title,
          version: contract.version,
          description: `Internal API of ${contract.service}, contract version ${contract.version}. Every route needs an RFC 9421 signature from a service the permission map allows; errors are RFC 9457 problems.`,
        },
      },
    });
    for (const options of Object.values(contractRouteOptions(contract))) {
      // Only the schema matters here; this instance never listens.
      app.route({ ...options, handler: async () => undefined });
    }
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
  }
}
