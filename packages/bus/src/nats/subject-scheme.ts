import type { StreamScope } from '../transport/positioned.js';
import { eventSubject, NO_SCOPE, patternSubject, REPLAY_SCOPE, topicOfSubject } from './nats-subjects.js';

/** Where an event's parts sit in a stored subject. */
export interface SubjectParts {
  tenantId?: string;
  userId?: string;
  /** Absent when the scheme keeps the type out of the subject (then it travels in a header). */
  topic?: string;
}

/**
 * How the NATS transport lays events out on subjects under its prefix. A scheme is a value, so a
 * deployment picks the layout its readers expect without the transport knowing any of them.
 */
export interface SubjectScheme {
  readonly name: string;
  /**
   * True when the type is part of the subject, so consumer groups filter types on the server;
   * otherwise the type travels in the {@link EVENT_TYPE_HEADER} header and groups filter locally.
   */
  readonly topicInSubject: boolean;
  subject(prefix: string, topic: string, tenantId?: string, userId?: string): string;
  /** The filter subject of a consumer group's topic pattern. */
  patternFilter(prefix: string, pattern: string): string;
  /** The filter subject(s) holding one scope's events (every type), disjoint when several. */
  scopeFilter(prefix: string, scope: StreamScope): string | readonly string[];
  parse(prefix: string, subject: string): SubjectParts;
  /** The type in a stored subject; undefined where the scheme keeps it in the header. */
  topic(subject: string): string | undefined;
}

/** The NATS header carrying the event type where the subject does not (the gateway's name for it). */
export const EVENT_TYPE_HEADER = 'Interlink-Event-Type';

function scopeOf(token: string | undefined): string | undefined {
  return token === undefined || token === NO_SCOPE ? undefined : token;
}

/**
 * The bus's own layout: `<prefix>.<tenant>.<user>.<type>` (`events.t1.u7.order.created`, `_` for
 * none). Services filter by type on the server (`events.*.*.order.*`); a reader of one user follows
 * `events.t1.u7.>`.
 */
export const BUS_SUBJECT_SCHEME: SubjectScheme = {
  name: 'bus',
  topicInSubject: true,
  subject: eventSubject,
  patternFilter: patternSubject,
  scopeFilter: (prefix, scope) => `${prefix}.${scope.tenantId}.${scope.userId ?? NO_SCOPE}.>`,
  parse(_prefix, subject) {
    const [, tenant, user] = subject.split('.', 3);
    return { tenantId: scopeOf(tenant), userId: scopeOf(user), topic: topicOfSubject(subject) };
  },
  topic: topicOfSubject,
};

/**
 * Seed 003's layout: `<prefix>.<tenant>.<user>` for a user's events and `<prefix>.<tenant>` for
 * the whole tenant (`events.t1.u7`, `events.t1`), the type in the `Interlink-Event-Type` header.
 * What the seed's realtime gateway subscribed to; consumer groups read the whole prefix and keep
 * the types they asked for.
 */
export const SEED_003_SUBJECT_SCHEME: SubjectScheme = {
  name: 'seed-003',
  topicInSubject: false,
  subject(prefix, _topic, tenantId, userId) {
    const tenant = `${prefix}.${tenantId ?? NO_SCOPE}`;
    return userId === undefined ? tenant : `${tenant}.${userId}`;
  },
  patternFilter: (prefix) => `${prefix}.>`,
  scopeFilter: (prefix, scope) =>
    scope.userId === undefined
      ? `${prefix}.${scope.tenantId}`
      : `${prefix}.${scope.tenantId}.${scope.userId}`,
  parse(_prefix, subject) {
    const [, tenant, user] = subject.split('.', 3);
    return { tenantId: scopeOf(tenant), userId: scopeOf(user) };
  },
  topic: () => undefined,
};

/**
 * Seed 003's entity events: `<prefix>.<tenant>.<type>` (`events.t1.order.created`), what its
 * services publish and read on the `EVENTS` stream. The type is in the subject, but the seed's
 * user events (`<prefix>.<tenant>.<user>`) share the prefix, so groups read the whole prefix and
 * keep their types here (as with {@link SEED_003_SUBJECT_SCHEME}), and replays reach them.
 */
export const SEED_003_ENTITY_SUBJECT_SCHEME: SubjectScheme = {
  name: 'seed-003-entity',
  topicInSubject: false,
  subject: (prefix, topic, tenantId) => `${prefix}.${tenantId ?? NO_SCOPE}.${topic}`,
  patternFilter: (prefix) => `${prefix}.>`,
  scopeFilter: (prefix, scope) => `${prefix}.${scope.tenantId}.>`,
  parse(_prefix, subject) {
    const [, tenant, ...rest] = subject.split('.');
    return { tenantId: scopeOf(tenant), topic: rest.join('.') };
  },
  // A replay (`<prefix>._replay.<group>`) carries its type in the header.
  topic(subject) {
    const [, tenant, ...rest] = subject.split('.');
    return tenant === REPLAY_SCOPE || rest.length === 0 ? undefined : rest.join('.');
  },
};

/** True when NATS subject `subject` matches filter `filter` (`*` one token, trailing `>` the rest). */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

/**
 * The narrowest single filter subject matching every one of `filters`. NATS before 2.10 gives a
 * consumer one filter subject; a subscription over several scopes reads this one and keeps the
 * messages of its own filters, so it still costs one consumer.
 */
export function coveringFilter(filters: readonly string[]): string {
  const [first, ...rest] = filters.map((f) => f.split('.'));
  if (!first) return '>';
  if (rest.every((f) => f.length === first.length)) {
    return first
      .map((token, i) => {
        const others = rest.map((f) => f[i]);
        if (others.every((t) => t === token)) return token;
        return i === first.length - 1 && [token, ...others].includes('>') ? '>' : '*';
      })
      .join('.');
  }
  // Lengths differ: a common head followed by `>`, which must leave every filter one token at least.
  const shortest = Math.min(first.length, ...rest.map((f) => f.length));
  const head: string[] = [];
  for (let i = 0; i < shortest - 1; i++) {
    const token = first[i]!;
    if (!rest.every((f) => f[i] === token) || token === '>') break;
    head.push(token);
  }
  return [...head, '>'].join('.');
}
