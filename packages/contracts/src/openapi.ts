import swagger from '@fastify/swagger';
import { PROBLEM_CONTENT_TYPE } from '@interlink/core';
import Fastify from 'fastify';
import { contractRouteOptions } from './fastify-route.js';
import type { ServiceContract } from './service-contract.js';

const PROBLEM_REF = '#/components/schemas/Problem';

interface MediaTypes {
  content?: Record<string, { schema?: unknown }>;
}

/**
 * Every route answers the same problem schema for each 4xx: the document names it once, in
 * `components`, and refers to it, instead of repeating it per status and route.
 */
function withSharedProblem(document: OpenApiDocument): OpenApiDocument {
  let problem: unknown;
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item ?? {})) {
      const responses = (operation as { responses?: Record<string, MediaTypes> }).responses ?? {};
      for (const response of Object.values(responses)) {
        const media = response.content?.[PROBLEM_CONTENT_TYPE];
        if (!media) continue;
        problem ??= media.schema;
        media.schema = { $ref: PROBLEM_REF };
      }
    }
  }
  if (problem === undefined) return document;
  return {
    ...document,
    components: { ...document.components, schemas: { ...document.components?.schemas, Problem: problem } },
  } as OpenApiDocument;
}

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
    return withSharedProblem(app.swagger());
  } finally {
    await app.close();
  }
}
