import { BrokenCircuitError, CircuitState, type IBreaker, IsolatedCircuitError } from 'cockatiel';

/**
 * A circuit breaker with the state machine of cockatiel 3's `CircuitBreakerPolicy` (closed, open,
 * half-open with one probe that concurrent calls wait for, isolated by hand; a constant half-open
 * delay) driven by a cockatiel `IBreaker` (`ConsecutiveBreaker`, `SamplingBreaker`, ...), and the same
 * errors. Written here so that an attempt in the closed state is one `then` on the attempt itself:
 * cockatiel's `execute` adds two async functions and their result objects to every attempt.
 * `circuit-breaker.differential.test.ts` drives it and cockatiel's policy through the same
 * generated histories and requires the same states and decisions.
 */
export class CircuitBreaker {
  private current: CircuitState = CircuitState.Closed;
  private openedAt = 0;
  private probe: Promise<unknown> | undefined = undefined;
  private isolations = 0;

  constructor(
    private readonly strategy: IBreaker,
    private readonly halfOpenAfterMs: number,
    /** Failures that count against the target; other errors are neither success nor failure. */
    private readonly isFailure: (error: unknown) => boolean,
    private readonly onStateChange: (state: CircuitState) => void,
    /** The clock of the open period; injected so tests step time instead of sleeping. */
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** Runs `fn` through the breaker: refused with cockatiel's errors while open or isolated. */
  execute<T>(fn: () => Promise<T>): Promise<T> {
    if (this.current !== CircuitState.Closed) return this.executeNotClosed(fn);
    let attempt: Promise<T>;
    try {
      attempt = fn();
    } catch (error) {
      attempt = Promise.reject(error);
    }
    return attempt.then(
      (value) => {
        this.closedSuccess();
        return value;
      },
      (error: unknown) => {
        this.closedFailure(error);
        throw error;
      },
    );
  }

  /**
   * Counts the success of an attempt let through while closed, as {@link execute} does: for a
   * caller that runs the attempt under its own `then` (the target guards, which free a bulkhead
   * slot in the same step).
   */
  closedSuccess(): void {
    this.strategy.success(CircuitState.Closed);
  }

  /** Counts the failure of an attempt let through while closed; a failure of the target may open the circuit. */
  closedFailure(error: unknown): void {
    if (this.isFailure(error) && this.strategy.failure(CircuitState.Closed)) this.open();
  }

  /** {@link execute} in the open, half-open and isolated states. */
  private async executeNotClosed<T>(fn: () => Promise<T>): Promise<T> {
    switch (this.current) {
      case CircuitState.Closed:
        return this.execute(fn);
      case CircuitState.HalfOpen:
        // Concurrent calls wait for the probe's outcome, then go through whatever state it left.
        await this.probe?.catch(() => undefined);
        return this.execute(fn);
      case CircuitState.Open: {
        if (this.now() - this.openedAt < this.halfOpenAfterMs) throw new BrokenCircuitError();
        const probe = this.halfOpen(fn);
        this.probe = probe;
        this.setState(CircuitState.HalfOpen);
        return probe;
      }
      default:
        throw new IsolatedCircuitError();
    }
  }

  /** Holds the circuit open until every handle returned is disposed. */
  isolate(): { dispose(): void } {
    if (this.current !== CircuitState.Isolated) {
      this.isolations = 0;
      this.setState(CircuitState.Isolated);
    }
    this.isolations++;
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        if (this.current === CircuitState.Isolated && --this.isolations === 0) {
          this.setState(CircuitState.Closed);
        }
      },
    };
  }

  private async halfOpen<T>(fn: () => Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      if (this.isFailure(error)) {
        this.strategy.failure(CircuitState.HalfOpen);
        this.open();
      } else {
        // Not a failure of the target (a 4xx, the caller's abort): as good as a success here.
        this.close();
      }
      throw error;
    }
    this.strategy.success(CircuitState.HalfOpen);
    this.close();
    return value;
  }

  private open(): void {
    if (this.current === CircuitState.Isolated || this.current === CircuitState.Open) return;
    this.openedAt = this.now();
    this.probe = undefined;
    this.setState(CircuitState.Open);
  }

  private close(): void {
    if (this.current !== CircuitState.HalfOpen) return;
    this.probe = undefined;
    this.setState(CircuitState.Closed);
  }

  private setState(state: CircuitState): void {
    this.current = state;
    this.onStateChange(state);
  }
}
