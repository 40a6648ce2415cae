import { BusError } from '../errors/bus-error-codes.js';
import { type NormalizedSubscribeOptions, normalizeSubscribeOptions } from './subscribe-options.js';
import { assertPattern, assertTopic } from './topic.js';
import type { OutgoingMessage, SubscribeOptions } from './transport.js';

// The checks every transport makes before its broker sees a publish or a subscription, in one
// place so each transport refuses the same things with the same codes and words.

/** Throws `ERR_BUS_CLOSED` once the transport (`label`: `NATS`, `memory`, ...) is closed. */
export function assertOpen(closed: boolean, label: string): void {
  if (closed) throw new BusError('ERR_BUS_CLOSED', `The ${label} transport is closed`);
}

/**
 * A publish's checks: the transport is open, the topic valid (`ERR_BUS_INVALID_TOPIC`) and the
 * body within `maxBytes` (`ERR_BUS_MESSAGE_TOO_LARGE`).
 */
export function assertPublishable(
  message: OutgoingMessage,
  maxBytes: number,
  closed: boolean,
  label: string,
): void {
  assertOpen(closed, label);
  assertTopic(message.topic);
  if (message.body.byteLength > maxBytes) {
    throw new BusError(
      'ERR_BUS_MESSAGE_TOO_LARGE',
      `Message is ${message.body.byteLength} bytes; the limit is ${maxBytes}`,
    );
  }
}

/**
 * A subscription's checks: the transport is open, every pattern valid, and the options with
 * their defaults (`ERR_BUS_INVALID_OPTIONS` on nonsense).
 */
export function checkSubscription(
  patterns: readonly string[],
  options: SubscribeOptions,
  closed: boolean,
  label: string,
): NormalizedSubscribeOptions {
  assertOpen(closed, label);
  for (const p of patterns) assertPattern(p);
  return normalizeSubscribeOptions(options);
}
