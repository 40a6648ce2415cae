import type { TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import type { JsonCallOptions, QueryValue } from '../client/call-options.js';
import type { ServiceClient } from '../client/create-service-client.js';
import { ClientError } from '../errors/client-error.js';
import type { RouteDefinition, RouteInput, RouteOutput } from './route-definition.js';

/** Per-call options of a typed call. */
export interface TypedCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  headers?: Readonly<Record<string, string>>;
  /** Reuse a key the caller already has for this logical write (otherwise one is made per call). */
  idempotencyKey?: string;
  tenantId?: string;
  userId?: string;
}

type CallOf<R extends RouteDefinition> = keyof RouteInput<R> extends never
  ? (input?: RouteInput<R>, options?: TypedCallOptions) => Promise<RouteOutput<R>>
  : Record<never, never> extends RouteInput<R>
    ? (input?: RouteInput<R>, options?: TypedCallOptions) => Promise<RouteOutput<R>>
    : (input: RouteInput<R>, options?: TypedCallOptions) => Promise<RouteOutput<R>>;

/** A typed client: one method per route. */
export type TypedClient<Routes extends Record<string, RouteDefinition>> = {
  readonly [K in keyof Routes]: CallOf<Routes[K]>;
};

const PLACEHOLDER = /:([A-Za-z_][A-Za-z0-9_]*)/g;

function compile(schema: TSchema | undefined): TypeCheck<TSchema> | undefined {
  return schema === undefined ? undefined : TypeCompiler.Compile(schema);
}

function check(
  checker: TypeCheck<TSchema> | undefined,
  value: unknown,
  where: string,
  operation: string,
  service: string,
): void {
  if (!checker || checker.Check(value)) return;
  // Field paths and messages come from our own schema, never from the value: safe to show.
  const errors = [...checker.Errors(value)]
    .slice(0, 10)
    .map((e) => ({ field: `${where}${e.path.replaceAll('/', '.')}`, message: e.message }));
  throw new ClientError('ERR_CLIENT_REQUEST_INVALID', `${service}.${operation}: invalid ${where}`, {
    extensions: { errors },
  });
}

function fillPath(
  path: string,
  params: Record<string, unknown> | undefined,
  operation: string,
  service: string,
): string {
  return path.replace(PLACEHOLDER, (_m, name: string) => {
    const value = params?.[name];
    const text = value === undefined || value === null ? '' : String(value);
    // `.` and `..` would be resolved as path segments by the upstream's router.
    if (text === '' || text === '.' || text === '..') {
      throw new ClientError(
        'ERR_CLIENT_REQUEST_INVALID',
        `${service}.${operation}: path parameter ${name} is empty or a dot segment`,
      );
    }
    return encodeURIComponent(text);
  });
}

/**
 * Makes a typed client over a {@link ServiceClient} from route definitions: calls are checked at
 * compile time by the TypeBox schemas, and at run time before sending (`ERR_CLIENT_REQUEST_INVALID`)
 * and on receipt (`ERR_UPSTREAM_RESPONSE_INVALID`). Validators are compiled once, here.
 */
export function createTypedClient<const Routes extends Record<string, RouteDefinition>>(
  client: ServiceClient,
  routes: Routes,
): TypedClient<Routes> {
  const methods: Record<string, unknown> = {};
  for (const [operation, route] of Object.entries(routes)) {
    const params = compile(route.params);
    const query = compile(route.query);
    const body = compile(route.body);
    const response = TypeCompiler.Compile(route.response);
    methods[operation] = async (
      input: { params?: Record<string, unknown>; query?: Record<string, QueryValue>; body?: unknown } = {},
      options: TypedCallOptions = {},
    ) => {
      check(params, input.params ?? {}, 'params', operation, client.service);
      check(query, input.query ?? {}, 'query', operation, client.service);
      check(body, input.body, 'body', operation, client.service);
      const call: JsonCallOptions<unknown> = {
        method: route.method,
        path: fillPath(route.path, input.params, operation, client.service),
        operation,
        ...(input.query !== undefined ? { query: input.query } : {}),
        ...(route.body !== undefined ? { json: input.body } : {}),
        ...(route.failure ? { failure: route.failure } : {}),
        // Checked inside the call, so a fallback read also covers a malformed answer.
        validate: (value) => response.Check(value),
        ...options,
        ...(route.idempotencyKey ? { idempotencyKey: options.idempotencyKey ?? true } : {}),
      };
      if (options.timeoutMs === undefined && route.timeoutMs !== undefined) call.timeoutMs = route.timeoutMs;
      return client.json(call);
    };
  }
  return methods as TypedClient<Routes>;
}
