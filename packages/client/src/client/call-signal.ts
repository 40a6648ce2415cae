import { EventEmitter } from 'node:events';

/** Why a call was cut short. */
export type AbortKind = 'deadline' | 'caller';

/**
 * The cancellation of one call, as an EventEmitter with `aborted` and `reason` (undici accepts
 * either an AbortSignal or such an emitter). Not an AbortSignal because on Node 20 the first
 * listener on a fresh AbortSignal costs ~14 µs and `AbortSignal.any` ~30 µs, which together were
 * most of the client's overhead over a bare pool (measured with bench/client.mjs).
 */
export class CallSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;
  kind: AbortKind | undefined = undefined;
  private readonly unlinks: Array<() => void> = [];
  private controller: AbortController | undefined;

  abort(kind: AbortKind, reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.kind = kind;
    this.reason = reason;
    this.controller?.abort(reason);
    this.emit('abort');
  }

  /** Aborts this call when `signal` aborts (the caller's signal, the request context's). */
  follow(signal: AbortSignal, kind: AbortKind, fanout?: SignalFanout): void {
    if (signal.aborted) {
      this.abort(kind, signal.reason);
      return;
    }
    if (fanout) {
      this.unlinks.push(fanout.add(signal, this, kind));
      return;
    }
    const onAbort = () => this.abort(kind, signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    this.unlinks.push(() => signal.removeEventListener('abort', onAbort));
  }

  /** A standard AbortSignal mirroring this one, made only for the APIs that need one. */
  toAbortSignal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Stops following external signals once the call is over. */
  dispose(): void {
    for (const unlink of this.unlinks.splice(0)) unlink();
    this.removeAllListeners();
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
