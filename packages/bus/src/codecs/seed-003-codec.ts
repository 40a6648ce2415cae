import { parseTraceparent } from '@interlink/core';
import { jsonBody } from './event-codec.js';
import { type LegacyFormat, legacyEnvelope, record, text, withOptional } from './legacy-format.js';

const FORMAT = 'seed-003';

/**
 * Seed 003's NATS events (on `events.{tenantId}.{eventType}` with the
 * `SEED_003_ENTITY_SUBJECT_SCHEME`): headers `Nats-Msg-Id` (the transport sets it to the event id),
 * `tenant-id`, `correlation-id`, `timestamp`, and a `{ type, data, metadata }` body. `metadata`
 * carries what the envelope has beyond those: id, source, version, subject, user, sequence, trace.
 */
export const SEED_003_NATS_FORMAT: LegacyFormat = {
  name: FORMAT,
  legacy: true,
  encode(event, { maxBytes }) {
    const correlationId =
      text((event as Record<string, unknown>).correlationid) ??
      parseTraceparent(event.traceparent)?.traceId ??
      event.id;
    const metadata = withOptional(
      { id: event.id, source: event.source, version: event.dataversion },
      {
        subject: event.subject,
        userId: event.userid,
        sequence: event.sequence,
        traceparent: event.traceparent,
      },
    );
    const headers = withOptional(
      { 'correlation-id': correlationId, timestamp: event.time },
      { 'tenant-id': event.tenantid },
    ) as Record<string, string>;
    return {
      body: jsonBody(event.type, { type: event.type, data: event.data, metadata }, maxBytes),
      headers,
    };
  },
  matches: (body, headers) => 'data' in body && ('metadata' in body || headers['tenant-id'] !== undefined),
  read(body, delivery) {
    const { headers } = delivery;
    const metadata = record(body.metadata) ?? {};
    return legacyEnvelope(
      FORMAT,
      {
        type: body.type,
        ids: [headers['nats-msg-id'], metadata.id, body.id, delivery.id],
        time: headers.timestamp ?? body.timestamp ?? metadata.timestamp,
        version: metadata.version,
        source: metadata.source,
        data: body.data,
        subject: metadata.subject,
        sequence: metadata.sequence,
        tenantId: headers['tenant-id'] ?? body.tenantId ?? metadata.tenantId,
        userId: metadata.userId ?? body.userId,
        traceparent: metadata.traceparent,
        extensions: { correlationid: text(headers['correlation-id'] ?? metadata.correlationId) },
      },
      delivery.body,
    );
  },
};
