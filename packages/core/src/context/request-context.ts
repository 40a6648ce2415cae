import { AsyncLocalStorage } from 'node:async_hooks';
import type { TraceState } from '../trace/trace-context.js';
import type { Principal } from './principal.js';

/** The trace position of the work in progress: this service's span inside a W3C trace. */
export interface TraceContext {
  traceId: string;
  /** This unit of work's own span id; what an outbound call sends as its parent. */
  spanId: string;
  /** The caller's span id, when the trace came in with the request. */
  parentSpanId?: string;
  flags: number;
  tracestate?: TraceState;
}

/** Everything a piece of code may need to know about the request it runs for. */
export interface RequestContext {
  requestId: string;
  trace: TraceContext;
  tenantId?: string;
  userId?: string;
  principal?: Principal;
  /** Absolute deadline (epoch ms) after which the caller has given up. */
  deadline?: number;
  /** Aborted when the deadline passes or the caller goes away. */
  signal?: AbortSignal;
}

// One store for the process: AsyncLocalStorage is the carrier, not state, and every package reads
// the same one so a context set by the service kit is seen by the client, the bus and the jobs.
const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` inside `context`; everything it awaits or schedules sees the same context. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request context, or `undefined` outside of one. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The current request context; throws when called outside of one. */
export function requireContext(): RequestContext {
  const ctx = storage.getStore();
  if (!ctx) throw new Error('No request context: call this inside runWithContext() or a request handler');
  return ctx;
}

/**
 * Sets fields on the current context in place (for example the principal, once authentication has
 * run), so later code in the same request sees them. Returns false outside of a context.
 */
export function updateContext(patch: Partial<RequestContext>): boolean {
  const ctx = storage.getStore();
  if (!ctx) return false;
  Object.assign(ctx, patch);
  return true;
}

/** Milliseconds left before the current context's deadline; `Infinity` when there is none. */
export function remainingTime(now: number = Date.now()): number {
  const deadline = storage.getStore()?.deadline;
  return deadline === undefined ? Number.POSITIVE_INFINITY : Math.max(0, deadline - now);
}
