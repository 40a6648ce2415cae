import {
  type EventEnvelope,
  isUserId,
  type LegacyDelivery,
  type LegacyFormat,
  SEED_003_SUBJECT_SCHEME,
  type SubjectScheme,
} from '@interlink/bus';
import { SEED_003_NATS_FORMAT } from '@interlink/bus/presets';
import { GatewayError } from '../errors/gateway-error.js';

/** Seed 003's entity event types (`events.{tenantId}.created`, ...): `entityEventTypes` by default. */
export const SEED_003_ENTITY_EVENT_TYPES: readonly string[] = ['created', 'updated', 'deleted'];

/** The entity types as a set, each checked to be one subject token. */
export function entityTypeSet(types: readonly string[]): ReadonlySet<string> {
  for (const type of types) {
    if (!isUserId(type)) {
      throw new GatewayError(
        'ERR_GATEWAY_CONFIG',
        `entityEventTypes holds ${JSON.stringify(type)}, which is not one subject token`,
      );
    }
  }
  return new Set(types);
}

/**
 * Seed 003's subjects as the gateway reads them: `{prefix}.{tenant}` tenant-wide,
 * `{prefix}.{tenant}.{user}` a user's, and seed 003's entity events `{prefix}.{tenant}.{type}` for
 * a listed one-word type or any subject of four or more tokens (`events.t1.order.created`; a user
 * id is one token), which belong to the tenant. Written like `SEED_003_SUBJECT_SCHEME`.
 */
export function gatewaySubjectScheme(entityTypes: ReadonlySet<string>): SubjectScheme {
  const seed = SEED_003_SUBJECT_SCHEME;
  return {
    ...seed,
    name: 'gateway-seed-003',
    scopeFilter(prefix, scope) {
      if (scope.userId !== undefined) return seed.scopeFilter(prefix, scope);
      const tenant = `${prefix}.${scope.tenantId}`;
      return [tenant, ...[...entityTypes].map((type) => `${tenant}.${type}`), `${tenant}.*.>`];
    },
    parse(prefix, subject) {
      const parts = seed.parse(prefix, subject);
      const rest = subject.split('.').slice(2);
      const entity = rest.length > 1 || (rest.length === 1 && entityTypes.has(rest[0]!));
      return entity
        ? { ...(parts.tenantId ? { tenantId: parts.tenantId } : {}), topic: rest.join('.') }
        : parts;
    },
  };
}

function unroutable(event: EventEnvelope, subject: string, why: string): GatewayError {
  return new GatewayError(
    'ERR_GATEWAY_EVENT_UNROUTABLE',
    `Seed 003 event ${event.type} on ${subject}: ${why}`,
    {
      extensions: { type: event.type },
    },
  );
}

/**
 * Seed 003's NATS format, its audience taken from the subject (under {@link gatewaySubjectScheme})
 * and checked against the message: seed 003's user events name their user only in the subject,
 * and its entity subjects are named after the event's type. A message whose subject and body
 * disagree is refused (`ERR_GATEWAY_EVENT_UNROUTABLE`, reported and counted as an invalid event),
 * never delivered to a guessed audience.
 */
export function gatewaySeed003Format(entityTypes: ReadonlySet<string>): LegacyFormat {
  return {
    ...SEED_003_NATS_FORMAT,
    read(body, delivery: LegacyDelivery) {
      const event = SEED_003_NATS_FORMAT.read(body, delivery);
      const { tenantId, userId, topic } = delivery;
      // No subject scope: a consumer group's delivery, or a subject of no tenant (`{prefix}._`).
      if (tenantId === undefined) return event;
      const where = userId === undefined ? `${tenantId}'s subject` : `${tenantId}.${userId}`;
      if (event.tenantid !== undefined && event.tenantid !== tenantId) {
        throw unroutable(event, where, `its tenant-id ${event.tenantid} is not the subject's`);
      }
      if (userId !== undefined) {
        if (event.type === userId) {
          throw unroutable(
            event,
            where,
            'a user subject named like the type: an entity type missing from entityEventTypes?',
          );
        }
        if (event.userid !== undefined && event.userid !== userId) {
          throw unroutable(event, where, `it names user ${event.userid}`);
        }
        return { ...event, tenantid: tenantId, userid: userId };
      }
      // A listed entity subject whose event is of another type may be a user event for a user
      // named like an entity type: never broadcast to the tenant on that guess.
      if (
        event.userid === undefined &&
        topic !== undefined &&
        entityTypes.has(topic) &&
        event.type !== topic
      ) {
        throw unroutable(
          event,
          `${tenantId}.${topic}`,
          `an entity subject but an event of type ${event.type}`,
        );
      }
      return { ...event, tenantid: tenantId };
    },
  };
}
