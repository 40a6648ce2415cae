import type { ServerResponse } from 'node:http';
import { encodeFrame } from '../events/encode-frame.js';
import type { StreamEvent } from '../events/event-source.js';

export interface SseConnectionOptions {
  id: string;
  userId: string;
  tenantId: string;
  subjects: readonly string[];
  /** Largest number of bytes waiting for this client (ours plus the socket's) before it is dropped. */
  maxQueueBytes: number;
  /** Called once when the client fell too far behind and was disconnected. */
  onSlow: (connection: SseConnection) => void;
}

/**
 * One open stream. Writes go straight to the socket while it keeps up; once `write` reports
 * backpressure, frames wait in a byte-counted queue until `drain`. A client whose backlog passes the
 * limit is disconnected, so one slow reader can never grow the gateway's memory.
 */
export class SseConnection {
  readonly id: string;
  readonly userId: string;
  readonly tenantId: string;
  readonly subjects: readonly string[];
  /** Sequence of the last event sent; later deliveries at or below it are duplicates. */
  lastSequence = -1;
  #replaying = false;
  #pending: StreamEvent[] = [];
  #pendingBytes = 0;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #waitingDrain = false;
  #closed = false;
  #expiry: NodeJS.Timeout | undefined;
  readonly #res: ServerResponse;
  readonly #maxQueueBytes: number;
  readonly #onSlow: (connection: SseConnection) => void;
  /** The `drain` listener, made on the first backpressure: most streams never need one. */
  #flush: (() => void) | undefined;

  constructor(res: ServerResponse, options: SseConnectionOptions) {
    this.#res = res;
    this.id = options.id;
    this.userId = options.userId;
    this.tenantId = options.tenantId;
    this.subjects = options.subjects;
    this.#maxQueueBytes = options.maxQueueBytes;
    this.#onSlow = options.onSlow;
  }

  get closed(): boolean {
    return this.#closed || this.#res.destroyed;
  }

  /** Bytes waiting for this client: our queue, events held during replay, and the socket's buffer. */
  get backlogBytes(): number {
    return this.#queuedBytes + this.#pendingBytes + this.#res.writableLength;
  }

  /** Holds live events while a replay runs, so none is lost or sent twice. */
  startReplay(): void {
    this.#replaying = true;
  }

  /** Sends what was held during the replay (skipping what the replay already sent) and goes live. */
  finishReplay(): number {
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#replaying = false;
    let sent = 0;
    for (const event of pending) if (this.deliver(event)) sent++;
    return sent;
  }

  /** Delivers a live or replayed event in order; returns whether it was written. */
  deliver(event: StreamEvent): boolean {
    if (this.#closed) return false;
    if (this.#replaying) {
      this.#pending.push(event);
      this.#pendingBytes += event.frame.length;
      this.#checkBacklog();
      return false;
    }
    if (event.position.sequence <= this.lastSequence) return false;
    this.lastSequence = event.position.sequence;
    this.send(event.frame);
    return true;
  }

  /** Sends an event found by a replay (held live events wait until {@link finishReplay}). */
  deliverReplayed(event: StreamEvent): boolean {
    if (this.#closed || event.position.sequence <= this.lastSequence) return false;
    this.lastSequence = event.position.sequence;
    this.send(event.frame);
    return true;
  }

  /** Writes raw bytes (a frame, a comment), respecting backpressure. */
  send(bytes: Buffer): void {
    if (this.#closed) return;
    if (this.#waitingDrain) {
      this.#queue.push(bytes);
      this.#queuedBytes += bytes.length;
      this.#checkBacklog();
      return;
    }
    if (!this.#res.write(bytes)) {
      this.#waitingDrain = true;
      this.#flush ??= () => this.#onDrain();
      this.#res.once('drain', this.#flush);
      this.#checkBacklog();
    }
  }

  /**
   * Ends the stream with its credential, so an expired or revoked token stops streaming; the
   * `token-expiring` warning `leadMs` before gives the client time to reconnect without a gap. One
   * timer per connection: the warning's re-arms itself for the end.
   */
  expireAt(expiresAt: number, leadMs: number): void {
    clearTimeout(this.#expiry);
    this.#expiry = setTimeout(
      () => {
        this.send(
          encodeFrame({
            event: 'token-expiring',
            data: JSON.stringify({ expiresAt: new Date(expiresAt).toISOString() }),
          }),
        );
        if (this.#closed) return;
        this.#expiry = setTimeout(() => this.end(), Math.max(0, expiresAt - Date.now()));
      },
      Math.max(0, expiresAt - Date.now() - leadMs),
    );
  }

  /** Ends the stream normally. */
  end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release();
    this.#res.end();
  }

  /** Marks the connection closed after the client went away. */
  markClosed(): void {
    this.#closed = true;
    this.#release();
  }

  #release(): void {
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.#flush) this.#res.off('drain', this.#flush);
  }

  #onDrain(): void {
    this.#waitingDrain = false;
    while (this.#queue.length > 0 && !this.#closed) {
      const next = this.#queue.shift()!;
      this.#queuedBytes -= next.length;
      if (!this.#res.write(next)) {
        this.#waitingDrain = true;
        this.#res.once('drain', this.#flush!);
        return;
      }
    }
  }

  #checkBacklog(): void {
    if (this.#closed || this.backlogBytes <= this.#maxQueueBytes) return;
    this.#closed = true;
    this.#release();
    // Destroy, not end: ending would wait to flush the very backlog that is the problem.
    this.#res.destroy();
    this.#onSlow(this);
  }
}
