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
