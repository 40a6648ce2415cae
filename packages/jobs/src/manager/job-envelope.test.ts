import { formatTraceparent, newSpanId, newTraceId, runWithContext } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { jobContext, unwrapPayload, wrapPayload } from './job-envelope.js';

describe('job envelope', () => {
  it('carries the trace position, tenant and user of the current context', () => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    const envelope = runWithContext(
      {
        requestId: 'r-1',
        trace: { traceId, spanId, flags: 1, tracestate: [['vendor', 'v1']] },
        principal: {
          kind: 'user',
          userId: 'u-9',
          tenantId: 't-9',
          roles: [],
          permissions: [],
          scheme: 'jwt',
        },
      },
      () => wrapPayload({ a: 1 }),
    );
    expect(envelope).toEqual({
      payload: { a: 1 },
      meta: {
        traceparent: formatTraceparent(traceId, spanId, 1),
        tracestate: 'vendor=v1',
        requestId: 'r-1',
        tenantId: 't-9',
        userId: 'u-9',
      },
    });
    const ctx = jobContext(unwrapPayload(JSON.parse(JSON.stringify(envelope))).meta, 'fallback');
    expect(ctx).toMatchObject({
      requestId: 'r-1',
      tenantId: 't-9',
      userId: 'u-9',
      trace: { traceId, parentSpanId: spanId, flags: 1, tracestate: [['vendor', 'v1']] },
    });
  });

  it('takes data that is not an envelope as a bare payload, and ignores meta fields of the wrong type', () => {
    expect(unwrapPayload({ provider: 'stripe' })).toEqual({ payload: { provider: 'stripe' }, meta: {} });
    expect(unwrapPayload([1, 2])).toEqual({ payload: [1, 2], meta: {} });
    expect(unwrapPayload({ payload: 1, meta: { tenantId: 5, userId: 'u' } })).toEqual({
      payload: 1,
      meta: { userId: 'u' },
    });
    const ctx = jobContext({ traceparent: 'garbage', tracestate: 'vendor=1' }, 'job-q-1');
    expect(ctx.requestId).toBe('job-q-1');
    expect(ctx.trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ctx.trace.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(ctx.trace.parentSpanId).toBeUndefined();
    // W3C Trace Context: without a valid traceparent, tracestate is discarded too.
    expect(ctx.trace.tracestate).toBeUndefined();
  });
});
