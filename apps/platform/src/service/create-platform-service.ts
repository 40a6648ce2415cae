import {
  type AuthPluginOptions,
  authPlugin,
  authPreHandler,
  createRequestVerifier,
  type Keyring,
  type NonceStore,
  type ServicePermissionMap,
} from '@interlink/auth';
import type { RouteDefinition } from '@interlink/client';
import {
  type ContractHandlers,
  contractRouteOptions,
  openApiDocument,
  type ServiceContract,
  UUID_PATTERN,
} from '@interlink/contracts';
import { createService, type MetricsEndpointOptions, type Service } from '@interlink/core';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { platformPermissionMap } from './permission-maps.js';
import { PlatformError } from './platform-error-codes.js';

export interface PlatformServiceOptions<Routes extends Record<string, RouteDefinition>> {
  contract: ServiceContract<Routes>;
  /** The service's own pool, connected as its own role (it can read only its own schema). */
  pool: pg.Pool;
  /** The keys of the services allowed to sign requests to this one. */
  keyring: Keyring;
  /** Where signature nonces are claimed: Redis across replicas, memory for one process. */
  nonceStore: NonceStore;
  /**
   * Which calling service holds which permission (seed 001's shape); others are refused with 403.
   * Default: the contract's consumers plus the platform's extra grants ({@link platformPermissionMap}).
   */
  permissions?: ServicePermissionMap;
  /** One handler per route of the contract; they read the tenant with {@link tenantOf}. */
  handlers: ContractHandlers<Routes>;
  /** `NODE_ENV === 'production'` by default: no `/docs`, metrics behind a port or token. */
  production?: boolean;
  logLevel?: string;
  /** Largest accepted body; 64 KiB by default: the largest contract body (100 ids) is under 5 KiB. */
  bodyLimit?: number;
  metrics?: MetricsEndpointOptions;
  shutdownTimeoutMs?: number;
  /** The authorities callers sign for (`PlatformRuntime.authority`); unset: loopback only. */
  authority?: string | readonly string[];
  /** End the pool when the service closes; on by default. */
  closePool?: boolean;
}

const uuid = new RegExp(UUID_PATTERN);

/**
 * The tenant of a request: only the signed `x-tenant-id` of the verified caller (the auth step put
 * it on the principal), never a parameter or an unsigned header.
 */
export function tenantOf(request: FastifyRequest): string {
  const tenantId = request.principal?.tenantId;
  if (tenantId === undefined || !uuid.test(tenantId)) {
    throw new PlatformError('ERR_TENANT_REQUIRED', 'a signed x-tenant-id (a UUID) is required');
  }
  return tenantId;
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * The route's one preValidation hook: the caller's signature and permission, then a signed tenant,
 * before validation or the handler run. One hook rather than two: each costs every request a turn
 * of Fastify's hook runner and a promise.
 */
function signedTenantCaller(authenticate: Hook): Hook {
  return (request, reply) =>
    authenticate(request, reply).then(() => {
      // A refused caller has had its 401/403 already.
      if (!reply.sent) tenantOf(request);
    });
}

/**
 * The handler, then its answer checked against the route's response schema before Fastify
 * serializes it: the serializer would silently drop or coerce what does not fit, so a wrong answer
 * is a 500 instead. Checked here rather than in a preSerialization hook, which every answer would
 * pay a hook run for.
 */
function checkedHandler(handler: Hook, schema: TSchema, operation: string): Hook {
  const checker = TypeCompiler.Compile(schema);
  return (request, reply) =>
    handler(request, reply).then((payload) => {
      if (payload === reply || reply.statusCode !== 200 || checker.Check(payload)) return payload;
      const errors = [...checker.Errors(payload)].slice(0, 5).map((e) => `${e.path} ${e.message}`);
      request.log.error({ operation, errors }, 'answer does not match the contract');
      throw new PlatformError(
        'ERR_RESPONSE_CONTRACT',
        `${operation}: the answer does not match the contract`,
      );
    });
}

/**
 * One of the platform's data services: a core service whose every contract route is signed
 * (RFC 9421, replay-protected), permitted for the calling service, scoped to the signed tenant,
 * validated on the way in and on the way out; plus `/health`, `/ready` (a PostgreSQL ping),
 * `/metrics`, and `/docs` (the contract's OpenAPI 3.1 document) outside production.
 */
export async function createPlatformService<Routes extends Record<string, RouteDefinition>>(
  options: PlatformServiceOptions<Routes>,
): Promise<Service> {
  const { contract, pool } = options;
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const service = createService({
    name: contract.service,
    // Only services call these: browser security headers would protect nothing and cost every answer.
    profile: 'internal',
    production,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.shutdownTimeoutMs !== undefined ? { shutdownTimeoutMs: options.shutdownTimeoutMs } : {}),
  });
  const { app } = service;
  // pg emits an idle connection's loss (PostgreSQL restarted, the connection was terminated) on the
  // pool; without a listener that event would end the process. The next query opens a new one.
  pool.on('error', (error) => app.log.warn({ err: error }, 'idle PostgreSQL connection lost'));
  const auth: AuthPluginOptions = {
    signatures: createRequestVerifier({ keys: options.keyring, nonceStore: options.nonceStore }),
    servicePermissions: options.permissions ?? platformPermissionMap(options.contract),
    ...(options.authority !== undefined ? { authority: options.authority } : {}),
  };
  // The plugin keeps the raw body for the content digest; the routes below call its check
  // themselves, at preValidation, so an unsigned caller learns nothing about what input is valid.
  await app.register(authPlugin, auth);

  const routeOptions = contractRouteOptions(contract);
  for (const operation of Object.keys(contract.routes) as Array<keyof Routes & string>) {
    const options_ = routeOptions[operation];
    const handler = options.handlers[operation] as unknown as Hook;
    app.route({
      ...options_,
      preValidation: signedTenantCaller(
        authPreHandler(auth, ['service'], contract.docs[operation].permission),
      ),
      handler: checkedHandler(handler, contract.routes[operation]!.response, operation),
    });
  }

  if (!production) {
    const document = openApiDocument(contract);
    // A rejected document would otherwise be an unhandled rejection until the first GET /docs.
    document.catch(() => undefined);
    app.get('/docs', { logLevel: 'warn' }, () => document);
  }

  service.addReadinessCheck('postgres', () => pool.query('SELECT 1'));
  if (options.closePool !== false) service.onClose('postgres', () => pool.end());
  return service;
}
