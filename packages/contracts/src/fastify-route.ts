import type { RouteDefinition, RouteOutput } from '@interlink/client';
import { PROBLEM_CONTENT_TYPE } from '@interlink/core';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemSchema, type ProblemStatus } from './schemas/problem.js';
import type { RouteDocs, ServiceContract } from './service-contract.js';

/** Every internal route can refuse bad input, a missing or bad signature, and a caller without the permission. */
export const COMMON_PROBLEMS: readonly ProblemStatus[] = [400, 401, 403];

const PROBLEM_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'The request does not match the contract (ERR_VALIDATION, ERR_MALFORMED_BODY)',
  401: 'Unsigned, badly signed or replayed request',
  403: 'The calling service lacks the permission',
  404: 'Unknown id (ERR_NOT_FOUND), never an empty 200',
  409: 'The state does not allow it',
  413: 'Body over the limit',
  415: 'Unsupported media type',
  422: 'Well-formed but not processable',
  429: 'Rate limited',
};

/** The Fastify route options of a contract route: method, url and the schema Fastify validates with. */
export interface ContractRouteOptions {
  method: RouteDefinition['method'];
  url: string;
  schema: {
    params?: TSchema;
    querystring?: TSchema;
    body?: TSchema;
    response: Record<number, unknown>;
    operationId?: string;
    summary?: string;
    tags?: string[];
    /** OpenAPI extensions: the permission the caller needs and the services that hold it by default. */
    'x-permission'?: string;
    'x-consumers'?: string[];
  };
}

/**
 * The Fastify `method`, `url` and `schema` of a route definition, so the server validates with the
 * very schemas the typed client is built from. The 200 response schema also drives Fastify's
 * serializer (undeclared fields are not sent); 4xx answers are RFC 9457 problems.
 */
export function routeOptionsFor(
  route: RouteDefinition,
  docs?: RouteDocs,
  operation?: string,
): ContractRouteOptions {
  // A route with a body can also meet a body over the limit or one that is not JSON.
  const bodyProblems: ProblemStatus[] = route.body ? [413, 415] : [];
  const statuses = [...new Set([...COMMON_PROBLEMS, ...bodyProblems, ...(docs?.problems ?? [])])].sort(
    (a, b) => a - b,
  );
  const response: Record<number, unknown> = {
    200: route.response,
  };
  for (const status of statuses) {
    response[status] = {
      description: PROBLEM_DESCRIPTIONS[status],
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    };
  }
  return {
    method: route.method,
    url: route.path,
    schema: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { querystring: route.query } : {}),
      ...(route.body ? { body: route.body } : {}),
      response,
      ...(operation ? { operationId: operation } : {}),
      ...(docs
        ? { summary: docs.summary, 'x-permission': docs.permission, 'x-consumers': [...docs.consumers] }
        : {}),
    },
  };
}

/** The route options of every route of a contract, by operation name, tagged with the service. */
export function contractRouteOptions<Routes extends Record<string, RouteDefinition>>(
  contract: ServiceContract<Routes>,
): { readonly [K in keyof Routes]: ContractRouteOptions } {
  const out: Record<string, ContractRouteOptions> = {};
  for (const [operation, route] of Object.entries(contract.routes)) {
    const options = routeOptionsFor(route, contract.docs[operation], operation);
    options.schema.tags = [contract.service];
    out[operation] = options;
  }
  return out as { readonly [K in keyof Routes]: ContractRouteOptions };
}

type StaticOr<S, Fallback> = [Exclude<S, undefined>] extends [never]
  ? Fallback
  : Exclude<S, undefined> extends infer T extends TSchema
    ? Static<T>
    : Fallback;

/** The request a contract route's handler gets: params, query and body typed by the route's schemas. */
export type ContractRequest<R extends RouteDefinition> = FastifyRequest<{
  Params: StaticOr<R['params'], Record<string, never>>;
  Querystring: StaticOr<R['query'], Record<string, never>>;
  Body: StaticOr<R['body'], undefined>;
}>;

/** A handler per operation of a contract, answering the route's response type (or sending a reply itself). */
export type ContractHandlers<Routes extends Record<string, RouteDefinition>> = {
  readonly [K in keyof Routes]: (
    request: ContractRequest<Routes[K]>,
    reply: FastifyReply,
  ) => Promise<RouteOutput<Routes[K]> | FastifyReply>;
};

/**
 * Registers every route of a contract on a Fastify instance with its handler: one call per
 * service, so no route of the contract can be forgotten and none can differ from the client's.
 */
export function registerContractRoutes<Routes extends Record<string, RouteDefinition>>(
  app: FastifyInstance,
  contract: ServiceContract<Routes>,
  // Routes come from the contract alone; handlers are checked against them, never widen them.
  handlers: NoInfer<ContractHandlers<Routes>>,
): void {
  const options = contractRouteOptions(contract);
  for (const operation of Object.keys(contract.routes) as Array<keyof Routes & string>) {
    const handler = handlers[operation] as unknown as (
      request: FastifyRequest,
      reply: FastifyReply,
    ) => unknown;
    app.route({ ...options[operation], handler });
  }
}
