import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawServerDefault,
} from 'fastify';
import type { HelmetOptions } from 'helmet';
import type { LevelWithSilent, Logger } from 'pino';
import { CoreError } from '../errors/interlink-error.js';
import { createProblem, PROBLEM_CONTENT_TYPE } from '../errors/problem-details.js';
import { bearerToken } from '../http/bearer-token.js';
import { createLogger } from '../logger/create-logger.js';
import { createMetrics, type ServiceMetrics } from '../metrics/create-metrics.js';
import { createClientErrorHandler } from './client-error-handler.js';
import { problemErrorHandler, problemNotFoundHandler, requestPath } from './problem-error-handler.js';
import { type ReadinessCheck, runReadinessChecks } from './readiness.js';
import { installRequestHooks, REQUEST_ID_HEADER, requestIdFrom } from './request-hooks.js';
import { RequestMetricsLogController, requestDurationRecorder } from './request-metrics.js';
import { installRouteAuthGuard } from './route-auth-guard.js';
import { profileHeaders, type ServiceProfile } from './service-profile.js';

export interface MetricsEndpointOptions {
  /** Serve `GET /metrics` on this separate port (0 picks a free one) instead of the public one. */
  port?: number;
  host?: string;
  /** Require `Authorization: Bearer <token>` for `GET /metrics` on the public port. */
  token?: string;
}

/**
 * How long a connection may sit idle or take to send its request, in ms; 0 turns the idle, request
 * or head timeout off (Fastify reads a keep-alive of 0 as its default). A
 * response that streams for longer than the idle time (SSE) turns the idle timeout off for its own
 * socket (`request.raw.socket.setTimeout(0)`); the other three never apply to a response.
 */
export interface ServiceTimeouts {
  /** A socket with no bytes in either direction for this long is closed (Fastify's `connectionTimeout`); 60 s. */
  idleMs?: number;
  /**
   * How long a keep-alive connection may wait for its next request; 72 s, Fastify's own default,
   * above the 60 s idle timeout of common load balancers so that they, not the service, close first.
   */
  keepAliveMs?: number;
  /** How long the whole request, head and body, may take to arrive (then 408); 60 s. */
  requestMs?: number;
  /** How long the request head may take to arrive (then 408); 20 s. */
  headersMs?: number;
}

/** The kit's timeouts when a service sets none: see {@link ServiceTimeouts}. */
export const DEFAULT_SERVICE_TIMEOUTS: Required<ServiceTimeouts> = {
  idleMs: 60_000,
  keepAliveMs: 72_000,
  requestMs: 60_000,
  headersMs: 20_000,
};

export interface ServiceOptions {
  /** The service's name: in every log line and on every metric as `service`. */
  name: string;
  logger?: Logger;
  logLevel?: string;
  /** Largest accepted request body, in bytes; 1 MiB by default. */
  bodyLimit?: number;
  /** Where `/metrics` is served. In production it needs its own port or a token. */
  metrics?: MetricsEndpointOptions;
  /** How long in-flight requests may run after a shutdown signal; 30 s by default (seed 002). */
  shutdownTimeoutMs?: number;
  /** How long each readiness check may take; 2 s by default. */
  readinessTimeoutMs?: number;
  /** Production hardening (no open metrics); `NODE_ENV === 'production'` by default. */
  production?: boolean;
  /**
   * Who calls the service: `'internal'` (other services: request id header only) or `'public'`
   * (browsers: helmet's security headers too). `'public'` by default, so a service nobody thought
   * about is never exposed without them; services behind the gateway pass `'internal'`.
   */
  profile?: ServiceProfile;
  /**
   * For the `public` profile: helmet options for its security headers (computed once at start-up),
   * or `false` to leave them to a proxy. Defaults to `API_HELMET_OPTIONS`, a profile for JSON APIs.
   */
  helmet?: Readonly<HelmetOptions> | false;
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Idle and request timeouts; {@link DEFAULT_SERVICE_TIMEOUTS} for those not given. */
  timeouts?: ServiceTimeouts;
  /** Other Fastify server options; the kit's own choices above win. */
  fastify?: Pick<
    FastifyServerOptions,
    'pluginTimeout' | 'disableRequestLogging' | 'routerOptions' | 'frameworkErrors'
  >;
}

export interface ListenOptions {
  port?: number;
  host?: string;
  /** Close gracefully on SIGTERM and SIGINT, then exit; on by default. */
  handleSignals?: boolean;
}

/**
 * The service's Fastify instance: its routes' params, query, body and replies are typed from their
 * TypeBox schemas (`@fastify/type-provider-typebox`), so a handler reads `request.params.id` as the
 * schema's type without a cast.
 */
export type ServiceApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A Fastify application with Interlink's hooks, health, readiness, metrics and graceful shutdown. */
export interface Service {
  readonly name: string;
  readonly app: ServiceApp;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** Adds a check that `GET /ready` runs; a failing one makes the service not ready. */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  /** Registers a resource to close on shutdown; resources close in reverse order of registration. */
  onClose(name: string, close: () => Promise<unknown> | unknown): void;
  /** Starts listening; resolves with the public address. */
  listen(options?: ListenOptions): Promise<string>;
  /** The address `/metrics` is served on, when it has its own port. */
  metricsAddress(): string | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then closes resources. */
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function addressOf(server: Server): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Creates a service: Fastify 5 with request ids, W3C trace context, the request context, RFC 9457
 * errors, the profile's response headers, body limits, `GET /health`, `GET /ready`, `GET /metrics` and graceful shutdown.
 */
export function createService(options: ServiceOptions): Service {
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const metricsOptions = options.metrics ?? {};
  if (production && metricsOptions.port === undefined && (metricsOptions.token ?? '').length < 32) {
    throw new CoreError(
      'ERR_CONFIG_INVALID',
      `${options.name}: in production /metrics must not be open: set the service option metrics.port (serve it on its own port) or metrics.token (require a bearer token of 32+ characters)`,
      { extensions: { options: ['metrics.port', 'metrics.token'] } },
    );
  }
  const fixedHeaders = profileHeaders(options.profile ?? 'public', options.helmet);
  const logger = options.logger ?? createLogger({ name: options.name, level: options.logLevel ?? 'info' });
  const metrics = createMetrics({ service: options.name });
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
  const readinessTimeoutMs = options.readinessTimeoutMs ?? 2_000;
  const readinessChecks = new Map<string, ReadinessCheck>();
  const resources: Array<{ name: string; close: () => Promise<unknown> | unknown }> = [];
  let metricsServer: Server | undefined;
  let closing: Promise<void> | undefined;
  let signalHandler: ((signal: NodeJS.Signals) => void) | undefined;

  // disableRequestLogging goes to the log controller: Fastify deprecates it as a server option.
  const { disableRequestLogging = false, ...fastifyOptions } = options.fastify ?? {};
  const timeouts = { ...DEFAULT_SERVICE_TIMEOUTS, ...options.timeouts };
  if (timeouts.requestMs > 0 && timeouts.headersMs > timeouts.requestMs) {
    throw new CoreError(
      'ERR_CONFIG_INVALID',
      `${options.name}: the option timeouts.headersMs must not be longer than timeouts.requestMs`,
      { extensions: { option: 'timeouts.headersMs' } },
    );
  }
  // Node checks the head and request timeouts on an interval (30 s by default), which would let a
  // slow request run up to 30 s past its limit: check a few times per limit instead.
  const limits = [timeouts.headersMs, timeouts.requestMs].filter((ms) => ms > 0);
  const checkEveryMs = Math.min(30_000, Math.max(10, Math.floor(Math.min(30_000, ...limits) / 4)));
  // The app is typed with Fastify's base logger (what plugins expect); the instance is the pino logger.
  const app = Fastify<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    ...fastifyOptions,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    requestTimeout: timeouts.requestMs,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: checkEveryMs },
    // Report every invalid field at once, not only the first: the body limit bounds the cost.
    ajv: { customOptions: { allErrors: true } },
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    clientErrorHandler: createClientErrorHandler(fixedHeaders),
    requestIdHeader: false,
    genReqId: (req) => requestIdFrom(req.headers[REQUEST_ID_HEADER]),
    logController: new RequestMetricsLogController(
      { disableRequestLogging },
      requestDurationRecorder(metrics.httpRequestDuration),
    ),
  }).withTypeProvider<TypeBoxTypeProvider>();

  installRouteAuthGuard(app, options.name);
  installRequestHooks(app, fixedHeaders);
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler(problemNotFoundHandler);

  // Probes log only warnings, but never more than the service does: a route's logLevel replaces the
  // logger's level for its requests, so a plain 'warn' made a silent or error-level service write
  // its failed readiness checks anyway.
  const probeLogLevel = (
    logger.levelVal > logger.levels.values.warn! ? logger.level : 'warn'
  ) as LevelWithSilent;

  app.get('/health', { logLevel: probeLogLevel }, async () => ({ status: 'ok' }));

  app.get('/ready', { logLevel: probeLogLevel }, async (request, reply) => {
    if (closing) {
      return reply
        .code(503)
        .type(PROBLEM_CONTENT_TYPE)
        .send(createProblem({ code: 'ERR_NOT_READY', detail: 'Shutting down', requestId: request.id }));
    }
    const report = await runReadinessChecks(readinessChecks, readinessTimeoutMs, (name, error) =>
      request.log.warn({ check: name, err: error }, 'readiness check failed'),
    );
    if (report.ready) return { status: 'ready', checks: report.checks };
    const down = Object.keys(report.checks).filter((k) => report.checks[k] === 'down');
    return reply
      .code(503)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        createProblem({
          code: 'ERR_NOT_READY',
          detail: `Not ready: ${down.join(', ')}`,
          instance: requestPath(request.url),
          requestId: request.id,
          extensions: { checks: report.checks },
        }),
      );
  });

  const metricsBody = async () => ({
    type: metrics.registry.contentType,
    body: await metrics.registry.metrics(),
  });

  if (metricsOptions.port === undefined) {
    app.get('/metrics', { logLevel: probeLogLevel }, async (request, reply) => {
      if (metricsOptions.token) {
        const given = bearerToken(request.headers.authorization) ?? '';
        if (!sameSecret(given, metricsOptions.token)) {
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer realm="metrics"')
            .type(PROBLEM_CONTENT_TYPE)
            .send(
              createProblem({
                code: 'ERR_UNAUTHORIZED',
                detail: 'A metrics bearer token is required',
                requestId: request.id,
              }),
            );
        }
      }
      const { type, body } = await metricsBody();
      return reply.type(type).send(body);
    });
  }

  async function startMetricsServer(): Promise<void> {
    if (metricsOptions.port === undefined) return;
    metricsServer = createServer((req, res) => {
      if (req.method !== 'GET' || requestPath(req.url ?? '/') !== '/metrics') {
        res.writeHead(404, { 'content-type': PROBLEM_CONTENT_TYPE });
        res.end(
          JSON.stringify(
            createProblem({ code: 'ERR_NOT_FOUND', detail: 'Only GET /metrics is served here' }),
          ),
        );
        return;
      }
      metricsBody().then(
        ({ type, body }) => {
          res.writeHead(200, { 'content-type': type });
          res.end(body);
        },
        (error) => {
          logger.error({ err: error }, 'metrics collection failed');
          res.writeHead(500, { 'content-type': PROBLEM_CONTENT_TYPE });
          res.end(JSON.stringify(createProblem({ code: 'ERR_INTERNAL' })));
        },
      );
    });
    const server = metricsServer;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(metricsOptions.port, metricsOptions.host ?? '127.0.0.1', () => resolve());
    });
  }

  async function closeNow(): Promise<void> {
    logger.info({ timeoutMs: shutdownTimeoutMs }, 'shutting down: draining in-flight requests');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), shutdownTimeoutMs);
    });
    // A keep-alive socket that was busy when shutdown began goes idle once its response is written;
    // closing idle sockets as they appear keeps it from holding the server open until its timeout.
    const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
    const outcome = await Promise.race([app.close().then(() => 'closed' as const), timedOut]);
    clearTimeout(timer);
    clearInterval(reaper);
    if (outcome === 'timeout') {
      logger.warn('shutdown timeout reached: closing remaining connections');
      app.server.closeAllConnections();
      await app.close().catch(() => undefined);
    }
    if (metricsServer) {
      const server = metricsServer;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    }
    for (const resource of [...resources].reverse()) {
      try {
        await resource.close();
      } catch (error) {
        logger.error({ err: error, resource: resource.name }, 'failed to close resource');
      }
    }
    if (signalHandler) {
      process.off('SIGTERM', signalHandler);
      process.off('SIGINT', signalHandler);
    }
    logger.info('shutdown complete');
  }

  const service: Service = {
    name: options.name,
    app,
    logger,
    metrics,
    addReadinessCheck(name, check) {
      readinessChecks.set(name, check);
    },
    onClose(name, close) {
      resources.push({ name, close });
    },
    async listen(listenOptions = {}) {
      await startMetricsServer();
      const address = await app.listen({
        port: listenOptions.port ?? 0,
        host: listenOptions.host ?? '127.0.0.1',
      });
      if (listenOptions.handleSignals !== false && !signalHandler) {
        signalHandler = (signal) => {
          if (closing) {
            logger.warn({ signal }, 'second signal during shutdown: exiting now');
            process.exit(1);
          }
          logger.info({ signal }, 'signal received');
          service.close().then(
            () => process.exit(0),
            (error) => {
              logger.error({ err: error }, 'shutdown failed');
              process.exit(1);
            },
          );
        };
        process.on('SIGTERM', signalHandler);
        process.on('SIGINT', signalHandler);
      }
      return address;
    },
    metricsAddress() {
      return metricsServer?.listening ? addressOf(metricsServer) : undefined;
    },
    close() {
      closing ??= closeNow();
      return closing;
    },
  };
  return service;
}
