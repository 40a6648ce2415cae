import { CoreError } from '@interlink/core';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FailurePolicy } from '../failure/failure-policy.js';

export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route of an upstream, as a typed client calls it. */
export interface RouteDefinition<
  M extends RouteMethod = RouteMethod,
  Params extends TSchema | undefined = TSchema | undefined,
  Query extends TSchema | undefined = TSchema | undefined,
  Body extends TSchema | undefined = TSchema | undefined,
  Response extends TSchema = TSchema,
> {
  method: M;
  /** The path with `:name` placeholders for `params`, e.g. `/widgets/:widgetId`. */
  path: string;
  params?: Params;
  query?: Query;
  body?: Body;
  /** The 2xx response's schema; an answer that does not match raises `ERR_UPSTREAM_RESPONSE_INVALID`. */
  response: Response;
  /**
   * What the call does when the upstream fails: `failClosed()`, `none()` (the default) or, for
   * reads only, `fallback(value)` with a value of the response's type.
   */
  failure?: FailurePolicy<Static<Response>>;
  /** Send a new `Idempotency-Key` per logical call, making a write retryable. For upstreams that honour the header. */
  idempotencyKey?: boolean;
  /** This route's own time budget per call. */
  timeoutMs?: number;
}

/** Fallbacks are for reads; a write's failure must be explicit (seed 002). */
type FailureFor<M extends RouteMethod, R extends TSchema> = M extends 'GET' | 'HEAD'
  ? FailurePolicy<Static<R>>
  : Exclude<FailurePolicy<Static<R>>, { kind: 'fallback' }>;

/**
 * Declares a route, checking at compile time that a fallback value has the response's type and
 * that writes have no fallback.
 */
export function defineRoute<
  M extends RouteMethod,
  Response extends TSchema,
  Params extends TSchema | undefined = undefined,
  Query extends TSchema | undefined = undefined,
  Body extends TSchema | undefined = undefined,
>(
  route: Omit<RouteDefinition<M, Params, Query, Body, Response>, 'failure'> & {
    failure?: FailureFor<M, Response>;
  },
): RouteDefinition<M, Params, Query, Body, Response> {
  if (route.failure?.kind === 'fallback' && route.method !== 'GET' && route.method !== 'HEAD') {
    throw new CoreError(
      'ERR_CONFIG_INVALID',
      `A ${route.method} route cannot have a fallback (option failure): writes must fail explicitly`,
      { extensions: { option: 'failure' } },
    );
  }
  return route as RouteDefinition<M, Params, Query, Body, Response>;
}

/** The identity of an intersection: a route without a part adds nothing to the input. */
type NoInput = Record<never, never>;

// `params?:` makes `R['params']` include `undefined`; strip it without distributing over the union.
type Field<K extends string, S> = [Exclude<S, undefined>] extends [never]
  ? NoInput
  : Exclude<S, undefined> extends infer T extends TSchema
    ? NoInput extends Static<T>
      ? { [P in K]?: Static<T> }
      : { [P in K]: Static<T> }
    : NoInput;

/** What a call of a route takes: its params, query and body, each typed by its schema. */
export type RouteInput<R extends RouteDefinition> = Field<'params', R['params']> &
  Field<'query', R['query']> &
  Field<'body', R['body']>;

/** What a call of a route resolves with. */
export type RouteOutput<R extends RouteDefinition> = Static<R['response']>;
