import type { GatewayEventSource, StreamEvent } from '../events/event-source.js';
import { type LoneOrSet, withAdded, withRemoved } from '../events/lone-or-set.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { SseConnection } from './sse-connection.js';

interface SubjectSubscription {
  /** Most subjects (one per user) have one connection: kept alone, a Set only from the second. */
  connections: LoneOrSet<SseConnection>;
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
      const subscription = this.#subjects.get(subject);
      if (!subscription) {
        const created: SubjectSubscription = { connections: connection, unsubscribe: noop };
        created.unsubscribe = this.#source.subscribe(subject, (event) => this.#dispatch(created, event));
        this.#subjects.set(subject, created);
      } else {
        subscription.connections = withAdded(subscription.connections, connection);
      }
    }
  }

  remove(connection: SseConnection): void {
    if (!this.#connections.delete(connection)) return;
    this.#metrics.connectionsActive.dec();
    for (const subject of connection.subjects) {
      const subscription = this.#subjects.get(subject);
      if (!subscription) continue;
      const left = withRemoved(subscription.connections, connection);
      if (left === undefined) {
        this.#subjects.delete(subject);
        subscription.unsubscribe();
      } else {
        subscription.connections = left;
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

  #dispatch(subscription: SubjectSubscription, event: StreamEvent): void {
    this.#metrics.eventsReceived.inc();
    const connections = subscription.connections;
    let sent = 0;
    if (connections instanceof Set) {
      for (const connection of connections) if (connection.deliver(event)) sent++;
    } else if (connections.deliver(event)) {
      sent = 1;
    }
    if (sent > 0) this.#metrics.messagesSent.inc(sent);
  }
}

function noop(): void {}
