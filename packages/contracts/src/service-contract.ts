import type { RouteDefinition } from '@interlink/client';
import { CoreError } from '@interlink/core';
import type { TObject } from '@sinclair/typebox';
import type { ProblemStatus } from './schemas/problem.js';

/** What a contract says of one route beyond its schemas: for docs, OpenAPI and permission maps. */
export interface RouteDocs {
  summary: string;
  /** The permission a caller needs (seed 001's `resource:action` style, `*` wildcards in grants). */
  permission: string;
  /** The services that call it (seed 004's consumers); they are granted `permission` by {@link permissionMapOf}. */
  consumers: readonly string[];
  /** The 4xx problems it can answer beyond the 400, 401 and 403 every internal route can. */
  problems?: readonly ProblemStatus[];
}

/**
 * One service's internal API at one version: its routes (typed-client route definitions, from
 * which server routes and OpenAPI are also made) and what each does.
 */
export interface ServiceContract<
  Routes extends Record<string, RouteDefinition> = Record<string, RouteDefinition>,
> {
  /** The service's name, as in the seeds (`ticket-service`). */
  service: string;
  /**
   * The contract's version. `'1'` is the seeds' API on their unprefixed paths; a breaking change
   * is a new contract (`'2'`) on `/internal/v2/...` paths, served beside v1 until its callers move.
   */
  version: string;
  title: string;
  routes: Routes;
  docs: { readonly [K in keyof Routes]: RouteDocs };
}

const PLACEHOLDER = /:([A-Za-z_][A-Za-z0-9_]*)/g;

function placeholders(path: string): string[] {
  return [...path.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * Declares a service contract, checking what the types cannot: method and path are unique, and each
 * route's `:name` placeholders are exactly its params schema's properties.
 */
export function defineServiceContract<const Routes extends Record<string, RouteDefinition>>(
  contract: ServiceContract<Routes>,
): ServiceContract<Routes> {
  if (!/^[1-9][0-9]*$/.test(contract.version)) {
    throw new CoreError(
      'ERR_CONFIG_INVALID',
      `${contract.service}: version must be a positive integer string, got ${contract.version}`,
      { extensions: { option: 'version' } },
    );
  }
  const seen = new Set<string>();
  for (const [operation, route] of Object.entries(contract.routes)) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) {
      throw new CoreError(
        'ERR_CONFIG_INVALID',
        `${contract.service}.${operation}: ${key} is declared twice`,
        {
          extensions: { option: `routes.${operation}` },
        },
      );
    }
    seen.add(key);
    const inPath = placeholders(route.path).sort();
    const inSchema = Object.keys((route.params as TObject | undefined)?.properties ?? {}).sort();
    if (inPath.join() !== inSchema.join()) {
      throw new CoreError(
        'ERR_CONFIG_INVALID',
        `${contract.service}.${operation}: path ${route.path} has [${inPath}] but params has [${inSchema}]`,
        { extensions: { option: `routes.${operation}.params` } },
      );
    }
  }
  return contract;
}

/**
 * The permission map (seed 001's shape: service -> permissions) that lets each consumer a contract
 * names call the routes it consumes, and nothing else.
 */
export function permissionMapOf(contract: ServiceContract): Readonly<Record<string, readonly string[]>> {
  const map = new Map<string, Set<string>>();
  for (const docs of Object.values(contract.docs)) {
    for (const consumer of docs.consumers) {
      const grants = map.get(consumer) ?? new Set<string>();
      grants.add(docs.permission);
      map.set(consumer, grants);
    }
  }
  return Object.fromEntries([...map].map(([service, grants]) => [service, [...grants].sort()]));
}
