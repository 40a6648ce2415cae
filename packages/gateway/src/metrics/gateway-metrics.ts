import { Counter, Gauge, type Registry } from 'prom-client';

/** The gateway's own series, beside core's `http_request_duration_seconds` and process metrics. */
export interface GatewayMetrics {
  connectionsActive: Gauge;
  messagesSent: Counter;
  eventsReceived: Counter;
  slowDisconnects: Counter;
  replayed: Counter<'source'>;
  resets: Counter<'reason'>;
  rejected: Counter<'reason'>;
  tokensIssued: Counter;
}

/**
 * Creates the gateway's metrics on the service's registry. Seed 003's names are kept
 * (`sse_connections_active`, `sse_messages_sent_total`, `nats_messages_received_total`); its
 * per-tenant label is not, because a label per tenant grows without bound.
 */
export function createGatewayMetrics(
  registry: Registry,
  queueBytes: () => number,
  invalidEvents: () => number = () => 0,
): GatewayMetrics {
  const registers = [registry];
  let invalidCounted = 0;
  new Counter({
    name: 'sse_invalid_events_total',
    help: 'Stored messages skipped because they are not events (e.g. raw bodies from before the bus)',
    registers,
    collect() {
      // The source counts; the counter catches up with it when scraped.
      const now = invalidEvents();
      if (now > invalidCounted) this.inc(now - invalidCounted);
      invalidCounted = now;
    },
  });
  new Gauge({
    name: 'sse_queue_bytes',
    help: 'Bytes waiting to be written to SSE clients, summed over connections',
    registers,
    collect() {
      this.set(queueBytes());
    },
  });
  return {
    connectionsActive: new Gauge({
      name: 'sse_connections_active',
      help: 'Number of active SSE connections',
      registers,
    }),
    messagesSent: new Counter({
      name: 'sse_messages_sent_total',
      help: 'Total SSE event frames written to clients',
      registers,
    }),
    eventsReceived: new Counter({
      name: 'nats_messages_received_total',
      help: 'Total events received from the event source (NATS JetStream, or memory when embedded)',
      registers,
    }),
    slowDisconnects: new Counter({
      name: 'sse_slow_client_disconnects_total',
      help: 'SSE clients disconnected because their queue passed its byte limit',
      registers,
    }),
    replayed: new Counter({
      name: 'sse_events_replayed_total',
      help: 'Events sent on resume, by where they came from (memory buffer or stream history)',
      labelNames: ['source'] as const,
      registers,
    }),
    resets: new Counter({
      name: 'sse_resets_total',
      help: 'Resumes answered with a reset event because the requested history is gone',
      labelNames: ['reason'] as const,
      registers,
    }),
    rejected: new Counter({
      name: 'sse_connections_rejected_total',
      help: 'SSE connections refused by a connection limit',
      labelNames: ['reason'] as const,
      registers,
    }),
    tokensIssued: new Counter({
      name: 'sse_stream_tokens_issued_total',
      help: 'Stream tokens issued by POST /events/token',
      registers,
    }),
  };
}
