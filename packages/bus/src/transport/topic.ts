import { BusError } from '../errors/bus-error-codes.js';

// One set of characters every broker carries unchanged in a subject or routing key, so the same
// event type works on NATS, RabbitMQ and Redis without escaping.
const WORD = /^[A-Za-z0-9_-]+$/;
// Dot-separated words in one test: checked twice per publish, without splitting into an array.
const TOPIC = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/** True when `topic` is dot-separated words (`order.created`): an event type every transport carries. */
export function isTopic(topic: unknown): topic is string {
  return typeof topic === 'string' && topic.length > 0 && topic.length <= 200 && TOPIC.test(topic);
}

/** Throws `ERR_BUS_INVALID_TOPIC` unless `topic` is dot-separated words (`order.created`). */
export function assertTopic(topic: string): void {
  if (!isTopic(topic)) {
    throw new BusError('ERR_BUS_INVALID_TOPIC', `Invalid topic "${String(topic).slice(0, 200)}"`);
  }
}

/** Throws `ERR_BUS_INVALID_TOPIC` unless `value` is one word (a tenant or user id in a subject). */
export function assertWord(value: string, what: string): void {
  if (typeof value !== 'string' || value.length > 100 || !WORD.test(value)) {
    throw new BusError(
      'ERR_BUS_INVALID_TOPIC',
      `Invalid ${what}: only letters, digits, "_" and "-" are allowed`,
    );
  }
}

function isWord(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 100 && WORD.test(value);
}

/**
 * True when `id` can be an event's tenant id on every transport: one word, not starting with `_`
 * (NATS subjects reserve those: `_` means "no tenant", `_replay` carries replayed dead letters).
 * What an edge that takes tenant ids from outside (the realtime gateway) checks before publishing.
 */
export function isTenantId(id: unknown): id is string {
  return isWord(id) && !id.startsWith('_');
}

/**
 * True when `id` can be an event's user id on every transport: one word, and not `_`, which NATS
 * subjects read as "no user" (an event for user `_` would reach the whole tenant).
 */
export function isUserId(id: unknown): id is string {
  return isWord(id) && id !== NO_USER;
}

/** The subject token for "no user" (see `NO_SCOPE` of the NATS subjects). */
const NO_USER = '_';

/**
 * Throws `ERR_BUS_INVALID_TOPIC` unless `pattern` is an AMQP-style topic pattern that every
 * transport can express: words or `*` (exactly one word), optionally ending in `#` (one or more
 * words; NATS `>` cannot match zero words, so neither does `#` here).
 */
export function assertPattern(pattern: string): void {
  const words = typeof pattern === 'string' && pattern.length > 0 ? pattern.split('.') : [''];
  const ok = words.every((w, i) => WORD.test(w) || w === '*' || (w === '#' && i === words.length - 1));
  if (!ok || pattern.length > 200) {
    throw new BusError('ERR_BUS_INVALID_TOPIC', `Invalid topic pattern "${String(pattern).slice(0, 200)}"`);
  }
}

/** True when `topic` matches `pattern` (`*` one word, trailing `#` one or more words). */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split('.');
  const t = topic.split('.');
  for (let i = 0; i < p.length; i++) {
    const word = p[i];
    if (word === '#') return t.length > i;
    if (i >= t.length) return false;
    if (word !== '*' && word !== t[i]) return false;
  }
  return p.length === t.length;
}
