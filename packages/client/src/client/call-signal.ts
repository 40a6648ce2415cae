/** Why a call was cut short. */
export type AbortKind = 'deadline' | 'caller';

type Listener = () => void;

/** Fires the deadline of the call given as the timer's argument: no closure per call. */
function onDeadline(signal: CallSignal): void {
  signal.deadlineTimer = undefined;
  signal.abort('deadline', new Error('deadline'));
}

/**
 * The cancellation of one call, with the `aborted`/`reason` and `on`/`once`/`removeListener`
 * surface that undici accepts in place of an AbortSignal, and the call's deadline timer. Not an
 * AbortSignal because on Node 20 the first listener on a fresh AbortSignal costs ~14 µs and
 * `AbortSignal.any` ~30 µs; not an EventEmitter either, since one event with a listener or two
 * (undici's, a backoff sleep's) needs none of its bookkeeping, which showed in the client's profile.
 */
export class CallSignal {
  aborted = false;
  reason: unknown = undefined;
  kind: AbortKind | undefined = undefined;
  /** The call's deadline timer, cleared by {@link dispose}. */
  deadlineTimer: NodeJS.Timeout | undefined = undefined;
  // The usual single listener (undici's) in a field of its own: no array to make and splice per call.
  private listener: Listener | undefined = undefined;
  private listeners: Listener[] | undefined = undefined;
  private unlinks: Array<() => void> | undefined = undefined;
  private controller: AbortController | undefined = undefined;

  /** Aborts the call with `kind` when `ms` have passed, unless disposed first. */
  startDeadline(ms: number): void {
    this.deadlineTimer = setTimeout(onDeadline, ms, this);
  }

  abort(kind: AbortKind, reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.kind = kind;
    this.reason = reason;
    this.controller?.abort(reason);
    const first = this.listener;
    const listeners = this.listeners;
    this.listener = undefined;
    this.listeners = undefined;
    if (first) first();
    if (listeners) for (const listener of listeners) listener();
  }

  /** Adds an `abort` listener, called once (the only event there is). */
  on(event: string, listener: Listener): this {
    if (event !== 'abort') return this;
    if (this.listener === undefined && this.listeners === undefined) this.listener = listener;
    else if (this.listeners) this.listeners.push(listener);
    else this.listeners = [listener];
    return this;
  }

  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  addListener(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: Listener): this {
    if (event !== 'abort') return this;
    const listeners = this.listeners;
    const i = listeners ? listeners.lastIndexOf(listener) : -1;
    if (i !== -1) listeners!.splice(i, 1);
    else if (this.listener === listener) this.listener = undefined;
    return this;
  }

  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }

  /** Aborts this call when `signal` aborts (the caller's signal, the request context's). */
  follow(signal: AbortSignal, kind: AbortKind, fanout?: SignalFanout): void {
    if (signal.aborted) {
      this.abort(kind, signal.reason);
      return;
    }
    this.unlinks ??= [];
    const unlinks = this.unlinks;
    if (fanout) {
      unlinks.push(fanout.add(signal, this, kind));
      return;
    }
    const onAbort = () => this.abort(kind, signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    unlinks.push(() => signal.removeEventListener('abort', onAbort));
  }

  /** A standard AbortSignal mirroring this one, made only for the APIs that need one. */
  toAbortSignal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Stops the deadline timer and following external signals once the call is over. */
  dispose(): void {
    if (this.deadlineTimer !== undefined) {
      clearTimeout(this.deadlineTimer);
      this.deadlineTimer = undefined;
    }
    const unlinks = this.unlinks;
    if (unlinks) {
      this.unlinks = undefined;
      for (const unlink of unlinks) unlink();
    }
    this.listener = undefined;
    this.listeners = undefined;
  }
}

/** Waits `ms`, or rejects with the signal's reason when the call is aborted first. */
export function sleepUnlessAborted(ms: number, signal: CallSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeListener('abort', onAbort);
      resolve();
    }, ms);
    signal.once('abort', onAbort);
  });
}

/**
 * One listener per long-lived AbortSignal (a request context's), shared by every call made under
 * it, instead of one per call: a handler that fans out to many upstreams would otherwise pass
 * Node's EventTarget listener warning threshold, and pay for every listener.
 */
export class SignalFanout {
  private readonly followers = new WeakMap<AbortSignal, Set<{ call: CallSignal; kind: AbortKind }>>();

  /** Registers `call` to abort with `signal`; returns the function that unregisters it. */
  add(signal: AbortSignal, call: CallSignal, kind: AbortKind): () => void {
    let set = this.followers.get(signal);
    if (!set) {
      const created = new Set<{ call: CallSignal; kind: AbortKind }>();
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
