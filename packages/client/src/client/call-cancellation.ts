import { EventEmitter } from 'node:events';
import type { DeadlineTimers } from './deadline-timers.js';

/** Why a call was cut short. */
export type AbortKind = 'deadline' | 'caller';

/** Fires the deadline of the call given as the timer's argument: no closure per call. */
function onDeadline(cancellation: CallCancellation): void {
  cancellation.deadlineTimer = undefined;
  cancellation.abortAtDeadline();
}

/** An attempt in flight that the call's cancellation cuts off (a buffered attempt's undici handler). */
export interface CancellableAttempt {
  /** Called once, synchronously, when the call is cancelled; the call's `kind` and `reason` are set. */
  cancel(): void;
}

/**
 * The cancellation of one call: fed by its deadline timer and by the caller's and the context's
 * signals (through {@link SignalFanout}), it records why it fired (the deadline or the caller) and
 * cancels what the call is doing.
 *
 * A buffered attempt (`json()`) registers itself as {@link inFlight} and aborts through undici's
 * dispatch controller. A streamed attempt (`request()`) gives undici {@link emitter}, a plain
 * `EventEmitter` that emits `abort`: undici's documented alternative to an AbortSignal for its
 * `signal` option, made only when asked for. A real AbortSignal is made only when something asks
 * for {@link signal} (a backoff wait, a queued bulkhead), because on Node 20 making one costs
 * several microseconds of CPU and garbage collection per call, most of what the client would
 * otherwise cost over a bare undici request (see README, "Cancellation").
 */
export class CallCancellation {
  kind: AbortKind | undefined = undefined;
  reason: unknown = undefined;
  /** The call's own deadline timer, cleared by {@link dispose}. */
  deadlineTimer: NodeJS.Timeout | undefined = undefined;
  /** The client's shared deadline timers while the call is queued there; see {@link DeadlineTimers}. */
  timers: DeadlineTimers | undefined = undefined;
  /** When the deadline is due on the shared timers, in `performance.now()` time. */
  dueAt = 0;
  /** The buffered attempt in flight, if any: cancelled with the call. */
  inFlight: CancellableAttempt | undefined = undefined;
  private controller: AbortController | undefined = undefined;
  private events: EventEmitter | undefined = undefined;
  private unlinks: Array<() => void> | undefined = undefined;

  /** Emits `abort` once when the call is cancelled; what undici's `signal` option is given. Made on first use. */
  get emitter(): EventEmitter {
    this.events ??= new EventEmitter();
    return this.events;
  }

  /** A real AbortSignal that aborts with the call, made on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.kind !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.kind !== undefined;
  }

  /**
   * Aborts the call with `'deadline'` when `ms` have passed, unless disposed first: on the client's
   * shared `timers` when given, else on a timer of its own.
   */
  startDeadline(ms: number, timers?: DeadlineTimers): void {
    if (timers) timers.add(this, ms);
    else this.startOwnDeadline(ms);
  }

  /** {@link startDeadline} on a timer of the call's own. */
  startOwnDeadline(ms: number): void {
    this.deadlineTimer = setTimeout(onDeadline, ms, this);
  }

  /** Aborts the call as its deadline does. */
  abortAtDeadline(): void {
    this.abort('deadline', new Error('deadline'));
  }

  abort(kind: AbortKind, reason: unknown): void {
    if (this.kind !== undefined) return;
    this.kind = kind;
    this.reason = reason;
    this.events?.emit('abort');
    this.controller?.abort(reason);
    const attempt = this.inFlight;
    if (attempt !== undefined) {
      this.inFlight = undefined;
      attempt.cancel();
    }
  }

  /** Aborts this call when `signal` aborts (the caller's signal, the request context's). */
  follow(signal: AbortSignal, kind: AbortKind, fanout?: SignalFanout): void {
    if (signal.aborted) {
      this.abort(kind, signal.reason);
      return;
    }
    this.unlinks ??= [];
    if (fanout) {
      this.unlinks.push(fanout.add(signal, this, kind));
      return;
    }
    const onAbort = () => this.abort(kind, signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    this.unlinks.push(() => signal.removeEventListener('abort', onAbort));
  }

  /** Stops the deadline timer and following external signals once the call is over. */
  dispose(): void {
    this.timers?.remove(this);
    if (this.deadlineTimer !== undefined) {
      clearTimeout(this.deadlineTimer);
      this.deadlineTimer = undefined;
    }
    const unlinks = this.unlinks;
    if (unlinks) {
      this.unlinks = undefined;
      for (const unlink of unlinks) unlink();
    }
  }
}

/**
 * One listener per long-lived AbortSignal (a request context's), shared by every call made under
 * it, instead of one per call: a handler that fans out to many upstreams would otherwise pass
 * Node's EventTarget listener warning threshold, and pay for every listener.
 */
export class SignalFanout {
  private readonly followers = new WeakMap<AbortSignal, Set<{ call: CallCancellation; kind: AbortKind }>>();

  /** Registers `call` to abort with `signal`; returns the function that unregisters it. */
  add(signal: AbortSignal, call: CallCancellation, kind: AbortKind): () => void {
    let set = this.followers.get(signal);
    if (!set) {
      const created = new Set<{ call: CallCancellation; kind: AbortKind }>();
      set = created;
      this.followers.set(signal, created);
      signal.addEventListener(
        'abort',
        () => {
          for (const f of [...created]) f.call.abort(f.kind, signal.reason);
          created.clear();
        },
        { once: true },
      );
    }
    const entry = { call, kind };
    set.add(entry);
    const owner = set;
    return () => {
      owner.delete(entry);
    };
  }
}
