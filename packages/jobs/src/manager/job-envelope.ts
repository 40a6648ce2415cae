import {
  currentContext,
  formatTraceparent,
  formatTracestate,
  newSpanId,
  newTraceAndSpanId,
  parseTraceparent,
  parseTracestate,
  type RequestContext,
} from '@interlink/core';

/** What travels with a job from the code that added it to the worker that runs it. */
export interface JobMeta {
  traceparent?: string;
  tracestate?: string;
  tenantId?: string;
  userId?: string;
  requestId?: string;
}

/** The data stored on a job: the payload plus the producer's context. */
export interface JobEnvelope {
  payload: unknown;
  meta: JobMeta;
}

/** Wraps a payload with the trace, tenant and user of the current request context, if any. */
export function wrapPayload(payload: unknown): JobEnvelope {
  const ctx = currentContext();
  if (!ctx) return { payload, meta: {} };
  const meta: JobMeta = {
    traceparent: formatTraceparent(ctx.trace.traceId, ctx.trace.spanId, ctx.trace.flags),
    requestId: ctx.requestId,
  };
  if (ctx.trace.tracestate?.length) meta.tracestate = formatTracestate(ctx.trace.tracestate);
  const tenantId = ctx.tenantId ?? ctx.principal?.tenantId;
  if (tenantId) meta.tenantId = tenantId;
  const userId = ctx.userId ?? ctx.principal?.userId;
  if (userId) meta.userId = userId;
  return { payload, meta };
}

/**
 * Splits stored job data into payload and meta. Data that is not an envelope is taken as a bare
 * payload, so jobs added by plain Bull/BullMQ producers during a migration still run.
 */
export function unwrapPayload(data: unknown): JobEnvelope {
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const { payload, meta } = data as Partial<JobEnvelope>;
    if ('payload' in data && meta !== null && typeof meta === 'object' && !Array.isArray(meta)) {
      const clean: JobMeta = {};
      for (const key of ['traceparent', 'tracestate', 'tenantId', 'userId', 'requestId'] as const) {
        if (typeof meta[key] === 'string') clean[key] = meta[key];
      }
      return { payload, meta: clean };
    }
  }
  return { payload: data, meta: {} };
}

/**
 * The request context a job runs in: a new span of the producer's trace (or a new trace), with the
 * producer's tenant and user. The tenant was taken from the producer's verified context, never from
 * the payload.
 */
export function jobContext(meta: JobMeta, fallbackRequestId: string): RequestContext {
  // Built field by field, without spreads: this runs for every job and its garbage is most of what
  // the manager adds to BullMQ's own per-job cost.
  const parent = parseTraceparent(meta.traceparent);
  let trace: RequestContext['trace'];
  if (parent) {
    trace = {
      traceId: parent.traceId,
      spanId: newSpanId(),
      parentSpanId: parent.parentId,
      flags: parent.flags,
    };
    const tracestate = meta.tracestate ? parseTracestate(meta.tracestate) : undefined;
    if (tracestate?.length) trace.tracestate = tracestate;
  } else {
    const ids = newTraceAndSpanId();
    trace = { traceId: ids.traceId, spanId: ids.spanId, flags: 1 };
  }
  const context: RequestContext = { requestId: meta.requestId ?? fallbackRequestId, trace };
  if (meta.tenantId) context.tenantId = meta.tenantId;
  if (meta.userId) context.userId = meta.userId;
  return context;
}
