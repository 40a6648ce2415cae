import { formatTraceparent, newSpanId, newTraceAndSpanId } from '@interlink/core';
import type { PreparedCall } from '../client/prepared-call.js';
import { writeAttemptHeaders } from './propagation-headers.js';

/**
 * Starts an attempt's headers from the call's own and adds what travels from the request context:
 * `traceparent` (the context's trace, or one new trace per logical call, with a new span id per
 * attempt), `tracestate`, request id, tenant, user and the deadline. A synchronous step of every
 * attempt.
 */
export function propagateAttempt(call: PreparedCall): void {
  const headers: Record<string, string> = call.baseHeaders ? { ...call.baseHeaders } : {};
  let traceId = call.context?.trace.traceId ?? call.traceId;
  let spanId: string;
  if (traceId !== undefined) spanId = newSpanId();
  else {
    // A call made outside any context: one new trace for all its attempts, drawn with the first span id.
    const ids = newTraceAndSpanId();
    traceId = ids.traceId;
    spanId = ids.spanId;
    call.traceId = traceId;
  }
  writeAttemptHeaders(
    headers,
    call.context,
    formatTraceparent(traceId, spanId, call.context?.trace.flags ?? 0),
    call.deadlineHeader,
    call.options.tenantId,
    call.options.userId,
  );
  call.headers = headers;
}
