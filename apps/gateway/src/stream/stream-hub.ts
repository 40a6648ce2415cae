import type { GatewayEventSource, StreamEvent } from '../events/event-source.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { SseConnection } from './sse-connection.js';

interface SubjectSubscription {
  connections: Set<SseConnection>;
  unsubscribe: () => void;
}

/**
 * The connections of one gateway instance, by subject. Each subject has one subscription on the
 * event source however many connections want it (seed 003's reference count), released when the
 * last of them closes.
 */
export class StreamHub {
  readonly #source: GatewayEventSource;
  readonly #metrics: GatewayMetrics;
  readonly #subjects = new Map<string, SubjectSubscription>();
  readonly #connections = new Set<SseConnection>();

  constructor(source: GatewayEventSource, metrics: GatewayMetrics) {
    this.#source = source;
    this.#metrics = metrics;
  }

  get size(): number {
    return this.#connections.size;
  }

  /** How many subjects have a live subscription (for tests and diagnostics). */
  get subjectCount(): number {
    return this.#subjects.size;
  }

  connections(): IterableIterator<SseConnection> {
    return this.#connections.values();
  }

  /** Adds a connection to its subjects; from now on it receives (or holds) their live events. */
  add(connection: SseConnection): void {
    this.#connections.add(connection);
    this.#metrics.connectionsActive.inc();
    for (const subject of connection.subjects) {
      let subscription = this.#subjects.get(subject);
      if (!subscription) {
        const connections = new Set<SseConnection>();
        const unsubscribe = this.#source.subscribe(subject, (event) => this.#dispatch(connections, event));
        subscription = { connections, unsubscribe };
        this.#subjects.set(subject, subscription);
      }
      subscription.connections.add(connection);
    }
  }

  remove(connection: SseConnection): void {
    if (!this.#connections.delete(connection)) return;
    this.#metrics.connectionsActive.dec();
    for (const subject of connection.subjects) {
      const subscription = this.#subjects.get(subject);
      if (!subscription) continue;
      subscription.connections.delete(connection);
      if (subscription.connections.size === 0) {
        this.#subjects.delete(subject);
        subscription.unsubscribe();
      }
    }
  }

  /** Writes the same bytes to every connection (heartbeats). */
  broadcast(bytes: Buffer): void {
    for (const connection of this.#connections) connection.send(bytes);
  }

  backlogBytes(): number {
    let total = 0;
    for (const connection of this.#connections) total += connection.backlogBytes;
    return total;
  }

  #dispatch(connections: Set<SseConnection>, event: StreamEvent): void {
    this.#metrics.eventsReceived.inc();
    let sent = 0;
    for (const connection of connections) if (connection.deliver(event)) sent++;
    if (sent > 0) this.#metrics.messagesSent.inc(sent);
  }
}
