import { jsonBody } from './event-codec.js';
import { type LegacyFormat, legacyEnvelope, record, withOptional } from './legacy-format.js';

const FORMAT = 'seed-000';
// Fields of a flat seed 000 event that are about the event, not its data.
const ENVELOPE_FIELDS = new Set(['id', 'type', 'timestamp', 'version', 'source', 'tenantId', 'userId']);

/**
 * Seed 000's analytics feed (Redis channel `analytics:events`, read with `JSON.parse(message)` and
 * `event.type`): a flat JSON object with a `type`. Written as `{ id, type, timestamp, version,
 * source, tenantId?, userId?, data }`. Read: data from `data` when it is an object, else every
 * field that is not about the event (seed 000 does not document its `StreamEvent`, so both are
 * accepted); id from `id`, else a hash of the body.
 */
export const SEED_000_ANALYTICS_FORMAT: LegacyFormat = {
  name: FORMAT,
  legacy: true,
  encode(event, { maxBytes }) {
    const body = withOptional(
      { id: event.id, type: event.type, timestamp: event.time, version: event.dataversion },
      { source: event.source, tenantId: event.tenantid, userId: event.userid, data: event.data },
    );
    return { body: jsonBody(event.type, body, maxBytes), headers: { 'content-type': 'application/json' } };
  },
  // Any object that is not an envelope or another seed's shape: list this format last.
  matches: () => true,
  read(body, delivery) {
    let data = record(body.data);
    if (data === undefined) {
      data = {};
      for (const [name, value] of Object.entries(body)) if (!ENVELOPE_FIELDS.has(name)) data[name] = value;
    }
    return legacyEnvelope(
      FORMAT,
      {
        type: body.type,
        ids: [body.id, delivery.id],
        time: body.timestamp,
        version: body.version,
        source: body.source,
        data,
        tenantId: body.tenantId,
        userId: body.userId,
      },
      delivery.body,
    );
  },
};
