import { jsonBody } from './event-codec.js';
import { type LegacyFormat, legacyEnvelope, withOptional } from './legacy-format.js';

const FORMAT = 'seed-002';

/**
 * Seed 002's order events on `tickettoken_events`: `{ version, type, idempotencyKey,
 * sequenceNumber, aggregateId, payload, timestamp }`. Written with an `id` as well (the event id,
 * also the `idempotencyKey`), which the seed's subscriber prefers for its deduplication key, so
 * its key and an Interlink inbox key are the same string. Read: id from `id`, else
 * `idempotencyKey`; subject from `aggregateId`; time from `timestamp`; schema version from
 * `version`; data from `payload`.
 */
export const SEED_002_ORDER_FORMAT: LegacyFormat = {
  name: FORMAT,
  legacy: true,
  encode(event, { maxBytes }) {
    const body = withOptional(
      {
        id: event.id,
        version: event.dataversion,
        type: event.type,
        idempotencyKey: event.id,
      },
      {
        sequenceNumber: event.sequence,
        aggregateId: event.subject,
        payload: event.data,
        timestamp: event.time,
        // Not in the seed's shape: the seed's consumers ignore them; an Interlink reader keeps them.
        source: event.source,
        tenantId: event.tenantid,
        userId: event.userid,
        traceparent: event.traceparent,
      },
    );
    return { body: jsonBody(event.type, body, maxBytes), headers: { 'content-type': 'application/json' } };
  },
  matches: (body) => 'payload' in body && ('idempotencyKey' in body || 'aggregateId' in body),
  read: (body, delivery) =>
    legacyEnvelope(
      FORMAT,
      {
        type: body.type,
        ids: [body.id, body.idempotencyKey, delivery.id],
        time: body.timestamp,
        version: body.version,
        source: body.source,
        data: body.payload,
        subject: body.aggregateId,
        sequence: body.sequenceNumber,
        tenantId: body.tenantId,
        userId: body.userId,
        traceparent: body.traceparent,
      },
      delivery.body,
    ),
};
