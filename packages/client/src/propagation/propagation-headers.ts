import {
  DEADLINE_HEADER,
  formatTraceparent,
  formatTracestate,
  REQUEST_ID_HEADER,
  type RequestContext,
} from '@interlink/core';

/** The tenant an outbound call acts for; covered by the request signature. */
export const TENANT_HEADER = 'x-tenant-id';
/** The end user an outbound call acts for; covered by the request signature. */
export const USER_HEADER = 'x-user-id';

export interface PropagationInput {
  /** The request context the call is made in, if any. */
  context: RequestContext | undefined;
  /** The trace of the call: the context's, or a new one made once per logical call. */
  traceId: string;
  /** This attempt's own span id: a new one per attempt. */
  spanId: string;
  flags: number;
  /** Absolute deadline of the call (epoch ms), already the earlier of the caller's and the call's own. */
  deadline: number | undefined;
  tenantId?: string | undefined;
  userId?: string | undefined;
}

/**
 * Writes the headers an attempt carries from the request context into `headers`: `traceparent`
 * with this attempt's span id, `tracestate`, `x-request-id`, tenant, user and the absolute deadline.
 * The tenant and user come from the verified principal before the context's plain fields.
 */
export function writePropagationHeaders(headers: Record<string, string>, input: PropagationInput): void {
  writeAttemptHeaders(
    headers,
    input.context,
    formatTraceparent(input.traceId, input.spanId, input.flags),
    formatDeadline(input.deadline),
    input.tenantId,
    input.userId,
  );
}

/** The `x-interlink-deadline` value of an absolute deadline; `undefined` for none. */
export function formatDeadline(deadline: number | undefined): string | undefined {
  return deadline !== undefined && Number.isFinite(deadline) ? String(Math.floor(deadline)) : undefined;
}

/**
 * {@link writePropagationHeaders} with the `traceparent` and deadline values already made: the
 * client calls this once per attempt, so it takes no input object and formats the deadline once
 * per call.
 */
export function writeAttemptHeaders(
  headers: Record<string, string>,
  ctx: RequestContext | undefined,
  traceparent: string,
  deadline: string | undefined,
  tenantId: string | undefined,
  userId: string | undefined,
): void {
  headers.traceparent = traceparent;
  if (ctx) {
    const tracestate = ctx.trace.tracestate;
    if (tracestate && tracestate.length > 0) headers.tracestate = formatTracestate(tracestate);
    headers[REQUEST_ID_HEADER] = ctx.requestId;
  }
  const tenant = tenantId ?? ctx?.principal?.tenantId ?? ctx?.tenantId;
  if (tenant !== undefined) headers[TENANT_HEADER] = tenant;
  const user = userId ?? ctx?.principal?.userId ?? ctx?.userId;
  if (user !== undefined) headers[USER_HEADER] = user;
  if (deadline !== undefined) headers[DEADLINE_HEADER] = deadline;
}
