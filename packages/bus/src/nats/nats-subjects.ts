/**
 * Subjects are `<prefix>.<tenant>.<user>.<type>`, e.g. `events.t1.u7.order.created`, so the
 * realtime gateway (seed 003) can follow one user (`events.t1.u7.>`) or one tenant (`events.t1.>`)
 * while services filter by type (`events.*.*.order.*`). `_` stands for "no tenant" / "no user".
 */
export const NO_SCOPE = '_';

export function eventSubject(prefix: string, topic: string, tenantId?: string, userId?: string): string {
  return `${prefix}.${tenantId ?? NO_SCOPE}.${userId ?? NO_SCOPE}.${topic}`;
}

/** The NATS filter subject of an AMQP-style topic pattern (`#` becomes `>`). */
export function patternSubject(prefix: string, pattern: string): string {
  return `${prefix}.*.*.${pattern.replace(/#$/, '>')}`;
}

/** The event type from a subject built by {@link eventSubject}. */
export function topicOfSubject(subject: string): string {
  return subject.split('.').slice(3).join('.');
}

/**
 * The second subject token of a replayed dead letter. Tenant ids starting with `_` are refused
 * on NATS, so no tenant collides with it.
 */
export const REPLAY_SCOPE = '_replay';

/**
 * A replayed dead letter goes back to its group only: it is published as
 * `<prefix>._replay.<group>[.<type>]`, which every group's filter of either subject scheme matches,
 * and the consumers of other groups acknowledge it without handling it. (NATS 2.9 consumers have
 * one filter subject, so a per-group replay subject cannot be added to the filter.)
 */
export function replaySubject(prefix: string, group: string, topic?: string): string {
  return topic === undefined
    ? `${prefix}.${REPLAY_SCOPE}.${group}`
    : `${prefix}.${REPLAY_SCOPE}.${group}.${topic}`;
}

/** The group a replayed message is addressed to, or undefined for an ordinary message. */
export function replayScope(subject: string): string | undefined {
  const [, tenant, user] = subject.split('.', 3);
  return tenant === REPLAY_SCOPE ? user : undefined;
}
