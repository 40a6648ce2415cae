import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type RequestContext, runWithContext, type TraceContext } from '../context/request-context.js';
import { CoreError } from '../errors/interlink-error.js';
import {
  newRequestId,
  newSpanId,
  newTraceAndSpanId,
  parseTraceparent,
  parseTracestate,
} from '../trace/trace-context.js';

/** The header that carries a caller's absolute deadline, in milliseconds since the epoch. */
export const DEADLINE_HEADER = 'x-interlink-deadline';
export const REQUEST_ID_HEADER = 'x-request-id';
/**
 * How far ahead a caller's deadline may be: a day. Further is refused (`ERR_DEADLINE_TOO_FAR`):
 * no call waits that long, and a timer past 2^31 - 1 ms would fire after 1 ms.
 */
export const MAX_DEADLINE_AHEAD_MS = 86_400_000;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Keeps a caller's request id when it is a safe token, otherwise makes a new one: 32 random hex
 * digits (128 bits) from the trace ids' random pool, a substring where `randomUUID` formats a UUID
 * per request.
 */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : newRequestId();
}

/** Reads a deadline header; returns `undefined` for a missing or malformed one. */
export function parseDeadline(header: unknown): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The Interlink request context this request runs in. */
    interlink: RequestContext;
  }
}

/** Where the request hook leaves the route template for the request-duration metric. */
export const ROUTE_TEMPLATE = Symbol('interlink.routeTemplate');

export interface RouteTemplateHolder {
  [ROUTE_TEMPLATE]?: string | null;
}

function traceFor(request: FastifyRequest): TraceContext {
  const headers = request.headers;
  const parent = parseTraceparent(headers.traceparent as string | undefined);
  if (!parent) {
    const ids = newTraceAndSpanId();
    return { traceId: ids.traceId, spanId: ids.spanId, flags: 0 };
  }
  const trace: TraceContext = {
    traceId: parent.traceId,
    spanId: newSpanId(),
    flags: parent.flags,
    parentSpanId: parent.parentId,
  };
  const tracestate = parseTracestate(headers.tracestate);
  if (tracestate && tracestate.length > 0) trace.tracestate = tracestate;
  return trace;
}

/**
 * The abort signal of a request with a caller deadline: aborted when the deadline passes or when
 * the response closes before it was written (the caller went away).
 */
function deadlineSignal(reply: FastifyReply, deadline: number): AbortSignal {
  const controller = new AbortController();
  const response = reply.raw;
  if (response.closed) {
    // Asked for after the response closed: a finished answer leaves it quiet, as the listener would.
    if (!response.writableFinished) controller.abort(wentAway(deadline));
    return controller.signal;
  }
  const left = deadline - Date.now();
  if (left <= 0) {
    controller.abort(new CoreError('ERR_DEADLINE_EXCEEDED', "The caller's deadline passed"));
    return controller.signal;
  }
  const timer = setTimeout(
    () => controller.abort(new CoreError('ERR_DEADLINE_EXCEEDED', "The caller's deadline passed")),
    left,
  );
  timer.unref();
  // The response's close, not the request's (an incoming message closes once its body is read,
  // before the handler runs). A caller that hangs up first, as one whose own timer fired at the
  // same instant as this one does, ends the work too: the signal is for both.
  response.once('close', () => {
    clearTimeout(timer);
    if (response.writableFinished || controller.signal.aborted) return;
    controller.abort(wentAway(deadline));
  });
  return controller.signal;
}

function wentAway(deadline: number): Error {
  return Date.now() >= deadline
    ? new CoreError('ERR_DEADLINE_EXCEEDED', "The caller's deadline passed")
    : new Error('The caller went away before its deadline');
}

function contextFor(request: FastifyRequest, reply: FastifyReply, now: number): RequestContext {
  const headers = request.headers;
  const ctx: RequestContext = { requestId: request.id, trace: traceFor(request) };
  const deadline = parseDeadline(headers[DEADLINE_HEADER]);
  if (deadline !== undefined) {
    ctx.deadline = deadline;
    // A deadline already past or too far ahead is refused by the hook: no signal for it.
    if (deadline <= now || deadline - now > MAX_DEADLINE_AHEAD_MS) return ctx;
    // Made when first read: most handlers never read it, and its controller, timer and close
    // listener cost every request otherwise. Unread, its abort would reach no one.
    let signal: AbortSignal | undefined;
    Object.defineProperty(ctx, 'signal', {
      get: () => {
        signal ??= deadlineSignal(reply, deadline);
        return signal;
      },
      set: (value: AbortSignal | undefined) => {
        signal = value;
      },
      enumerable: true,
      configurable: true,
    });
  }
  return ctx;
}

/**
 * Installs the hook every Interlink service runs first: request id, W3C trace context, caller
 * deadline, the profile's fixed response headers, and the AsyncLocalStorage request context that the
 * handler and everything it calls see.
 */
export function installRequestHooks(
  app: FastifyInstance,
  fixedHeaders?: Readonly<Record<string, string>>,
): void {
  app.decorateRequest('interlink', null as unknown as RequestContext);
  app.decorateRequest(ROUTE_TEMPLATE, null);
  // One hook does it all: each extra hook costs a measurable share of a trivial request.
  app.addHook('onRequest', (request, reply, done) => {
    // routeOptions builds a new object on every read: read it once, for the headers and the metric.
    const route = request.routeOptions;
    (request as RouteTemplateHolder)[ROUTE_TEMPLATE] = route.url;
    const now = Date.now();
    const ctx = contextFor(request, reply, now);
    request.interlink = ctx;
    reply.header(REQUEST_ID_HEADER, request.id);
    if (fixedHeaders !== undefined && route.config?.securityHeaders !== false) reply.headers(fixedHeaders);
    if (ctx.deadline !== undefined) {
      if (ctx.deadline <= now) {
        done(
          new CoreError(
            'ERR_DEADLINE_EXCEEDED',
            "The caller's deadline had passed before the request arrived",
          ),
        );
        return;
      }
      if (ctx.deadline - now > MAX_DEADLINE_AHEAD_MS) {
        done(new CoreError('ERR_DEADLINE_TOO_FAR', "The caller's deadline is more than a day ahead"));
        return;
      }
    }
    // Running the rest of the request inside the store is what @fastify/request-context does too.
    runWithContext(ctx, done);
  });
}
