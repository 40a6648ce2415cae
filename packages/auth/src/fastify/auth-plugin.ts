import {
  bearerToken,
  createProblem,
  markRouteAuthEnforced,
  PROBLEM_CONTENT_TYPE,
  type Principal,
  updateContext,
} from '@interlink/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AuthError } from '../errors/auth-error.js';
import { readJwtHeader } from '../jwt/jwt-header.js';
import type { JwtVerifier } from '../jwt/verify-jwt.js';
import { SERVICE_TOKEN_TYP } from '../jwt/verify-jwt.js';
import type { LegacyVerifier } from '../legacy/verify-legacy.js';
import type { MeshIdentityVerifier } from '../mesh/verify-mesh-identity.js';
import {
  requirePermission,
  type ServicePermissionMap,
  servicePermissions,
} from '../permissions/service-permissions.js';
import type { SignableRequest } from '../signatures/http-message.js';
import { normalizeAuthorities, type VerifiedRequest } from '../signatures/verify-request.js';

import type { AuthKind, RoutePrincipal } from './route-principal.js';

export type { AuthKind } from './route-principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Credentials the route requires; routes without it are public. */
    auth?: AuthKind | readonly AuthKind[];
    /** Permission the principal must hold (wildcard grants honoured). */
    permission?: string;
  }
  // The first six type parameters of Fastify's FastifyRequest, by name, so the principal's type
  // can read the route's config type (`ContextConfig`, inferred from `config: { auth }`).
  interface FastifyRequest<RouteGeneric, RawServer, RawRequest, SchemaCompiler, TypeProvider, ContextConfig> {
    /**
     * The authenticated caller, set by the auth plugin before the route's own preHandlers run:
     * typed as present (a `ServicePrincipal`, a `UserPrincipal` or either) on a route whose
     * `config.auth` names the kinds, `Principal | undefined` elsewhere.
     */
    principal: RoutePrincipal<ContextConfig>;
    /** The raw request body as received, for the content digest. */
    rawBody?: Buffer;
  }
}

export interface AuthPluginOptions {
  /** Verifies end users' bearer tokens. */
  users?: JwtVerifier;
  /** Verifies service tokens (`x-service-token`, or a `service+jwt` bearer token). */
  serviceTokens?: JwtVerifier;
  /** Verifies RFC 9421 signed requests ({@link createRequestVerifier}). */
  signatures?: ((request: SignableRequest) => Promise<VerifiedRequest>) & {
    /** The authorities the verifier is bound to itself (`createRequestVerifier({ authority })`). */
    readonly authorities?: readonly string[] | undefined;
  };
  /**
   * The authorities (`host[:port]`, as callers address this service) signed requests must be
   * signed for, when the verifier is not bound itself. Without either, a request that arrived on
   * a loopback address is bound to that address and port (`127.0.0.1:port`, `localhost:port`,
   * `[::1]:port`); any other signed request is refused (`ERR_SIGNATURE_AUTHORITY`): the `Host`
   * header alone never decides which service a signature was meant for.
   */
  authority?: string | readonly string[];
  /** Service-mesh mode ({@link createMeshIdentityVerifier}): identity from a trusted proxy's XFCC header. */
  mesh?: MeshIdentityVerifier;
  /** The seeds' schemes switched on for a migration ({@link createLegacyVerifier}); off when absent. */
  legacy?: LegacyVerifier;
  /** Calling services allowed, with their permissions; without it services get no permissions. */
  servicePermissions?: ServicePermissionMap;
  /**
   * Keep the raw body of `application/json` and `text/plain` requests in `request.rawBody`
   * (needed for the content digest of signed requests); on by default. A signed request whose body
   * was not kept raw (another content type without a parser that sets `rawBody`) is refused.
   */
  rawBody?: boolean;
}

/** The scheme a failed credential was presented with, for `WWW-Authenticate`. */
function challengeFor(code: string): string {
  if (code.startsWith('ERR_SIGNATURE') || code.startsWith('ERR_DIGEST') || code.startsWith('ERR_NONCE')) {
    return 'Signature realm="interlink"';
  }
  return 'Bearer realm="interlink", error="invalid_token"';
}

function isServiceToken(token: string): boolean {
  try {
    return (
      readJwtHeader(token)
        .typ?.toLowerCase()
        .replace(/^application\//, '') === SERVICE_TOKEN_TYP
    );
  } catch {
    return false;
  }
}

function signableFrom(request: FastifyRequest): SignableRequest {
  const signable: SignableRequest = { method: request.method, url: request.url, headers: request.headers };
  if (request.rawBody) signable.body = request.rawBody;
  return signable;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const loopbackAuthorities = new Map<number, readonly string[]>();

/** The names a loopback listener on `port` is reached by. */
function loopbackAuthoritiesOf(port: number): readonly string[] {
  let list = loopbackAuthorities.get(port);
  if (!list) {
    list = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    loopbackAuthorities.set(port, list);
  }
  return list;
}

const configuredAuthorities = new WeakMap<AuthPluginOptions, readonly string[] | null>();

/** The plugin's `authority` option, normalized once per options object; null when absent. */
function configuredAuthorityOf(options: AuthPluginOptions): readonly string[] | null {
  let list = configuredAuthorities.get(options);
  if (list === undefined) {
    list = options.authority === undefined ? null : normalizeAuthorities(options.authority);
    configuredAuthorities.set(options, list);
  }
  return list;
}

/**
 * The authorities a signed request must be signed for, when the verifier is not bound itself:
 * the plugin's configuration, or the loopback address and port the request arrived on (the
 * socket's, never the `Host` header's). Undefined: nothing safe to bind to.
 */
function receiverAuthorities(
  request: FastifyRequest,
  options: AuthPluginOptions,
): readonly string[] | undefined {
  const configured = configuredAuthorityOf(options);
  if (configured) return configured;
  return loopbackBinding(request.socket.localAddress, request.socket.localPort);
}

/**
 * The authorities a request that arrived on `localAddress:localPort` is bound to when nothing is
 * configured: the loopback names of that port, or undefined for any other address (or none, as
 * under `inject`).
 */
export function loopbackBinding(
  localAddress: string | undefined,
  localPort: number | undefined,
): readonly string[] | undefined {
  if (localAddress === undefined || localPort === undefined || !LOOPBACK.has(localAddress)) return undefined;
  return loopbackAuthoritiesOf(localPort);
}

function permissionsOf(options: AuthPluginOptions, service: string): readonly string[] {
  return options.servicePermissions ? servicePermissions(options.servicePermissions, service) : [];
}

/** The principal of a verified RFC 9421 request. */
function signedPrincipal(verified: VerifiedRequest, options: AuthPluginOptions): Principal {
  const principal: Principal = {
    kind: 'service',
    service: verified.service,
    roles: [],
    permissions: permissionsOf(options, verified.service),
    tokenId: verified.nonce,
    scheme: 'rfc9421',
  };
  // Identity headers count only when the signature covers them (verifyRequest returns no others).
  if (verified.tenantId !== undefined) principal.tenantId = verified.tenantId;
  if (verified.userId !== undefined) principal.userId = verified.userId;
  return principal;
}

/**
 * The verification of a signed request for `kinds`, or undefined when this route takes it another
 * way (not signed, or no verifier or no `service` kind): then {@link authenticateOther} decides.
 * The verifier's own promise, with no `then` of ours around it: it is the path every service call
 * takes, and its hook maps the result to the principal in the one `then` it has anyway.
 */
function verifySigned(
  request: FastifyRequest,
  kinds: readonly AuthKind[],
  options: AuthPluginOptions,
): Promise<VerifiedRequest> | undefined {
  const { signatures } = options;
  if (!signatures || request.headers['signature-input'] === undefined || !kinds.includes('service')) {
    return undefined;
  }
  // A body we did not keep raw cannot be digested; seen as "no body" it would escape the
  // content-digest requirement, so it is refused instead.
  const hasBody =
    request.body !== undefined ||
    Number(request.headers['content-length'] ?? 0) > 0 ||
    request.headers['transfer-encoding'] !== undefined;
  if (hasBody && request.rawBody === undefined) {
    return Promise.reject(
      new AuthError('ERR_DIGEST_MISMATCH', 'the body of this content type is not available for its digest'),
    );
  }
  const signable = signableFrom(request);
  if (signatures.authorities === undefined) {
    const expected = receiverAuthorities(request, options);
    if (expected === undefined) {
      return Promise.reject(
        new AuthError(
          'ERR_SIGNATURE_AUTHORITY',
          'no authority is configured for signed requests to this service (authPlugin or createRequestVerifier `authority`)',
        ),
      );
    }
    signable.expectedAuthority = expected;
  }
  try {
    return signatures(signable);
  } catch (error) {
    // A verifier that throws rather than rejects is refused the same way.
    return Promise.reject(error);
  }
}

/** Every credential but an RFC 9421 signature (that is {@link verifySigned}), in the order the route hooks try them. */
async function authenticateOther(
  request: FastifyRequest,
  kinds: readonly AuthKind[],
  options: AuthPluginOptions,
): Promise<Principal> {
  const wantsService = kinds.includes('service');
  const wantsUser = kinds.includes('user');
  const serviceOf = (service: string) => permissionsOf(options, service);
  if (wantsService && options.mesh) {
    const mesh = options.mesh({ remoteAddress: request.socket.remoteAddress, headers: request.headers });
    if (mesh) return { ...mesh, permissions: serviceOf(mesh.service!) };
  }
  if (wantsService && options.legacy) {
    const legacy = await options.legacy(signableFrom(request));
    if (legacy) return { ...legacy, permissions: serviceOf(legacy.service!) };
  }
  const bearer = bearerToken(request.headers.authorization);
  // Decoding the bearer's header to tell a service token from a user token costs a JSON parse:
  // only paid on routes that accept service tokens.
  const serviceHeader = request.headers['x-service-token'];
  const serviceToken =
    wantsService && options.serviceTokens
      ? typeof serviceHeader === 'string'
        ? serviceHeader
        : bearer && isServiceToken(bearer)
          ? bearer
          : undefined
      : undefined;
  if (serviceToken !== undefined) {
    const { principal } = await options.serviceTokens!.verify(serviceToken);
    return { ...principal, permissions: serviceOf(principal.service!) };
  }
  if (wantsUser && options.users && bearer !== undefined) {
    return (await options.users.verify(bearer)).principal;
  }
  if (!wantsUser && options.signatures)
    throw new AuthError('ERR_SIGNATURE_MISSING', 'signed request required');
  throw new AuthError('ERR_JWT_MISSING', 'credentials required');
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AuthError): FastifyReply {
  // The reason goes to the log, never the token or the secret.
  request.log.info({ code: error.code, reason: error.message }, 'authentication refused');
  if (error.status === 401) reply.header('www-authenticate', challengeFor(error.code));
  const problem = createProblem({
    code: error.code,
    status: error.status,
    title: error.title,
    detail: error.message,
    instance: request.url.split('?')[0]!,
    requestId: String(request.id),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * Why `principal` may not pass a route that accepts `kinds`, if it may not: what the type of
 * `request.principal` promises on such a route (its kind, and the user or service it names) holds
 * even for a verifier in the wrong slot (a user verifier as `serviceTokens`) or written by hand.
 */
function principalRefusal(principal: Principal, kinds: readonly AuthKind[]): AuthError | undefined {
  if (!kinds.includes(principal.kind)) {
    return new AuthError(
      'ERR_JWT_TYPE',
      `${principal.kind} credentials on a route that accepts ${kinds.join(' or ')} credentials`,
    );
  }
  const named = principal.kind === 'service' ? principal.service : principal.userId;
  if (typeof named !== 'string' || named.length === 0) {
    return new AuthError('ERR_JWT_PRINCIPAL', `the credentials name no ${principal.kind}`);
  }
  return undefined;
}

/**
 * What a route's auth hook does once the credentials are verified, and when they are refused:
 * shared by {@link authPreHandler} (a promise-returning hook) and the plugin's own hook (a
 * callback hook, so Fastify attaches no `then` of its own to it).
 */
function authSteps(options: AuthPluginOptions, kinds: readonly AuthKind[], permission: string | undefined) {
  configuredAuthorityOf(options); // a bad `authority` fails here, at start-up, not per request
  /** Puts `principal` on the request when it may pass; the refusal otherwise. */
  const admit = (request: FastifyRequest, principal: Principal): AuthError | undefined => {
    const refusal = principalRefusal(principal, kinds);
    if (refusal) return refusal;
    if (permission !== undefined) {
      try {
        requirePermission(principal, permission);
      } catch (error) {
        if (error instanceof AuthError) return error;
        throw error;
      }
    }
    request.principal = principal;
    const patch = {
      principal,
      tenantId: principal.tenantId,
      userId: principal.userId,
    };
    if (request.interlink) Object.assign(request.interlink, patch);
    updateContext(patch);
    return undefined;
  };
  const principalOf = (verified: VerifiedRequest) => signedPrincipal(verified, options);
  return { admit, principalOf };
}

/**
 * Returns a preHandler that authenticates the request for `kinds`, checks `permission`, and puts
 * the principal on `request.principal`, `request.interlink.principal` and the request context
 * (with its tenant and user: from the credential, never from a plain header).
 */
export function authPreHandler(options: AuthPluginOptions, kinds: readonly AuthKind[], permission?: string) {
  const { admit, principalOf } = authSteps(options, kinds, permission);
  const refuse = async (request: FastifyRequest, reply: FastifyReply, error: unknown): Promise<void> => {
    if (!(error instanceof AuthError)) throw error;
    await sendProblem(request, reply, error);
  };
  return function authPreHandlerHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const signed = verifySigned(request, kinds, options);
    const principal = signed ? signed.then(principalOf) : authenticateOther(request, kinds, options);
    return principal.then(
      (p) => {
        const refusal = admit(request, p);
        return refusal ? refuse(request, reply, refusal) : undefined;
      },
      (error: unknown) => refuse(request, reply, error),
    );
  };
}

/**
 * The plugin's hook: {@link authPreHandler}'s steps as a callback hook, with one `then` per signed
 * request (on the verifier's promise) where the promise-returning hook has three (its own, the
 * principal's and Fastify's on the hook's promise), each a promise and a microtask turn.
 */
function authHook(options: AuthPluginOptions, kinds: readonly AuthKind[], permission: string | undefined) {
  const { admit, principalOf } = authSteps(options, kinds, permission);
  return function authHook(
    request: FastifyRequest,
    reply: FastifyReply,
    done: (error?: Error) => void,
  ): void {
    const refused = (error: unknown) => {
      // A refusal answers the request itself, and the hooks after it do not run (done is not called).
      if (error instanceof AuthError) sendProblem(request, reply, error);
      else done(error as Error);
    };
    const accepted = (principal: Principal) => {
      let refusal: AuthError | undefined;
      try {
        refusal = admit(request, principal);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (refusal) sendProblem(request, reply, refusal);
      else done();
    };
    const signed = verifySigned(request, kinds, options);
    if (!signed) {
      authenticateOther(request, kinds, options).then(accepted, refused);
      return;
    }
    signed.then((verified) => {
      let principal: Principal;
      try {
        principal = principalOf(verified);
      } catch (error) {
        refused(error);
        return;
      }
      accepted(principal);
    }, refused);
  };
}

async function authPluginImpl(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  configuredAuthorityOf(options); // a bad `authority` fails registration
  if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', undefined);
  if (!app.hasRequestDecorator('rawBody')) app.decorateRequest('rawBody', undefined);
  if (options.rawBody !== false) {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      // secure-json-parse (behind the default parser) reads a Buffer as well as a string.
      parseJson(request, body as unknown as string, done);
    });
    app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, (body as Buffer).toString('utf8'));
    });
  }
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (auth === undefined) return;
    const kinds = typeof auth === 'string' ? [auth] : auth;
    const handler = authHook(options, kinds, route.config?.permission);
    const existing = route.preHandler;
    route.preHandler =
      existing === undefined ? [handler] : [handler, ...(Array.isArray(existing) ? existing : [existing])];
    markRouteAuthEnforced(route);
  });
}

/**
 * The Fastify plugin: routes declare `config: { auth: 'user' | 'service' | ['user', 'service'],
 * permission: 'tickets:read' }`; failures are RFC 9457 problems (401 with `WWW-Authenticate`, 403,
 * 503 when a store is down) with stable codes. Register it before the routes it protects: under
 * `createService` a route whose `config.auth` it did not reach stops the start
 * (`ERR_ROUTE_AUTH_NOT_ENFORCED`).
 */
export const authPlugin = fp(authPluginImpl, { name: '@interlink/auth', fastify: '5.x' });
