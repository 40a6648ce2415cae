import { type Static, Type } from '@sinclair/typebox';

/**
 * RFC 3339 date-time. A pattern rather than `format: 'date-time'`, which would need TypeBox's
 * process-wide FormatRegistry to be mutated.
 */
export const ISO_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

/** CloudEvents 1.0 context attributes plus Interlink's extensions, as sent on every transport. */
export const EventEnvelopeSchema = Type.Object(
  {
    specversion: Type.Literal('1.0'),
    id: Type.String({ minLength: 1, maxLength: 200 }),
    source: Type.String({ minLength: 1, maxLength: 500 }),
    type: Type.String({ minLength: 1, maxLength: 200 }),
    time: Type.String({ pattern: ISO_DATE_TIME }),
    /** The aggregate the event is about (an order id); the unit of ordering. */
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    datacontenttype: Type.Literal('application/json'),
    /** `urn:interlink:event:<type>:<version>`: which registered schema `data` follows. */
    dataschema: Type.String({ minLength: 1 }),
    /** The schema version of `data` (CloudEvents extension attribute). */
    dataversion: Type.Integer({ minimum: 1 }),
    tenantid: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** The user the event concerns; with the tenant it picks the realtime gateway's stream. */
    userid: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Per-aggregate sequence number (seed 002's `sequenceNumber`). */
    sequence: Type.Optional(Type.Integer({ minimum: 0 })),
    traceparent: Type.Optional(Type.String({ minLength: 55, maxLength: 256 })),
    tracestate: Type.Optional(Type.String({ maxLength: 512 })),
    data: Type.Unknown(),
  },
  { additionalProperties: true },
);

/** A CloudEvents 1.0 event in Interlink's envelope, with `data` of type `T`. */
export type EventEnvelope<T = unknown> = Omit<Static<typeof EventEnvelopeSchema>, 'data'> & { data: T };

/** The `dataschema` URI of a registered type and version. */
export function dataSchemaUri(type: string, version: number): string {
  return `urn:interlink:event:${type}:${version}`;
}
