import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { LabelledHistogram, LabelledHistogramSeries } from '../metrics/batched-metrics.js';
import { ROUTE_TEMPLATE, type RouteTemplateHolder } from './request-hooks.js';

type Recorder = (request: FastifyRequest, reply: FastifyReply) => void;
type LogControllerOptions = NonNullable<ConstructorParameters<typeof LogController>[0]>;

/**
 * Records `http_request_duration_seconds` for every request, by method, route template and status
 * code. Series handles are kept per label set, so a request costs three Map reads instead of
 * building, joining and hashing its label values.
 */
export function requestDurationRecorder(histogram: LabelledHistogram): Recorder {
  const byRoute = new Map<string, Map<string, Map<number, LabelledHistogramSeries>>>();
  return (request, reply) => {
    // is404 also catches a reply moved to the not-found handler after the request hook ran.
    const route = request.is404
      ? 'unmatched'
      : ((request as RouteTemplateHolder)[ROUTE_TEMPLATE] ?? request.routeOptions.url ?? 'unmatched');
    let byMethod = byRoute.get(route);
    if (!byMethod) {
      byMethod = new Map();
      byRoute.set(route, byMethod);
    }
    let byStatus = byMethod.get(request.method);
    if (!byStatus) {
      byStatus = new Map();
      byMethod.set(request.method, byStatus);
    }
    const status = reply.statusCode;
    let series = byStatus.get(status);
    if (!series) {
      series = histogram.series([request.method, route, String(status)]);
      byStatus.set(status, series);
    }
    series.observe(reply.elapsedTime / 1000);
  };
}

/**
 * Fastify's log controller, recording the request-duration metric where Fastify reports a finished
 * response. It replaces an `onResponse` hook: Fastify already listens for the end of every response
 * to log it, and a hook would add its runner to every request.
 */
export class RequestMetricsLogController extends LogController {
  readonly #record: Recorder;

  constructor(options: LogControllerOptions, record: Recorder) {
    super(options);
    this.#record = record;
  }

  // Fastify builds each request line's arguments (and reads the clock for `responseTime`) before
  // the logger checks its level; asking the level first skips that for a service logging at warn.
  override incomingRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (levelEnabled(request.log, 'info')) super.incomingRequest(request, reply, metadata);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    this.#record(request, reply);
    if (levelEnabled(reply.log, error ? 'error' : 'info'))
      super.requestCompleted(error, request, reply, metadata);
  }
}

/** Whether `log` writes at `level`; true for a logger that cannot tell, so nothing is lost. */
function levelEnabled(log: FastifyBaseLogger, level: string): boolean {
  const check = (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return typeof check !== 'function' || check.call(log, level);
}
