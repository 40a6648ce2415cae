import { describe, expect, it } from 'vitest';
import { normalizeSubscribeOptions } from './subscribe-options.js';
import { assertPattern, topicMatches } from './topic.js';
import { assertPublishable, checkSubscription } from './transport-guards.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('topic patterns', () => {
  it('match AMQP style: * is one word, a trailing # one or more', () => {
    expect(topicMatches('order.*', 'order.created')).toBe(true);
    expect(topicMatches('order.*', 'order.created.v2')).toBe(false);
    expect(topicMatches('order.*', 'payment.created')).toBe(false);
    expect(topicMatches('order.#', 'order.created.v2')).toBe(true);
    expect(topicMatches('order.#', 'order')).toBe(false);
    expect(topicMatches('#', 'messages.email')).toBe(true);
    expect(topicMatches('*.created', 'order.created')).toBe(true);
    expect(topicMatches('order.created', 'order.created')).toBe(true);
  });

  it('refuse what some broker cannot express', () => {
    expect(codeOf(() => assertPattern('order.#.created'))).toBe('ERR_BUS_INVALID_TOPIC');
    expect(codeOf(() => assertPattern('order.>'))).toBe('ERR_BUS_INVALID_TOPIC');
    expect(codeOf(() => assertPattern('order..x'))).toBe('ERR_BUS_INVALID_TOPIC');
    expect(codeOf(() => assertPattern(''))).toBe('ERR_BUS_INVALID_TOPIC');
    expect(codeOf(() => assertPattern('order.*'))).toBeUndefined();
  });
});

describe('subscription options', () => {
  it('default to one handler and five deliveries, and refuse nonsense', () => {
    expect(normalizeSubscribeOptions({ group: 'billing' })).toMatchObject({ concurrency: 1, maxDeliver: 5 });
    expect(codeOf(() => normalizeSubscribeOptions({ group: '' }))).toBe('ERR_BUS_INVALID_OPTIONS');
    expect(codeOf(() => normalizeSubscribeOptions({ group: 'a.b' }))).toBe('ERR_BUS_INVALID_OPTIONS');
    expect(codeOf(() => normalizeSubscribeOptions({ group: 'g', concurrency: 0 }))).toBe(
      'ERR_BUS_INVALID_OPTIONS',
    );
    expect(codeOf(() => normalizeSubscribeOptions({ group: 'g', maxDeliver: 1.5 }))).toBe(
      'ERR_BUS_INVALID_OPTIONS',
    );
  });
});

describe('transport guards', () => {
  const message = (bytes: number, topic = 'order.created') => ({
    id: 'e-1',
    topic,
    body: new Uint8Array(bytes),
  });

  it('refuse a publish on a closed transport, with a bad topic or over the size limit, before the broker', () => {
    expect(() => assertPublishable(message(10), 100, true, 'NATS')).toThrow('The NATS transport is closed');
    expect(codeOf(() => assertPublishable(message(10), 100, true, 'NATS'))).toBe('ERR_BUS_CLOSED');
    expect(codeOf(() => assertPublishable(message(10, 'order.*'), 100, false, 'NATS'))).toBe(
      'ERR_BUS_INVALID_TOPIC',
    );
    expect(codeOf(() => assertPublishable(message(101), 100, false, 'NATS'))).toBe(
      'ERR_BUS_MESSAGE_TOO_LARGE',
    );
    expect(codeOf(() => assertPublishable(message(100), 100, false, 'NATS'))).toBeUndefined();
  });

  it('refuse a subscription on a closed transport or with a bad pattern, and apply the option defaults', () => {
    expect(codeOf(() => checkSubscription(['order.*'], { group: 'g' }, true, 'memory'))).toBe(
      'ERR_BUS_CLOSED',
    );
    expect(codeOf(() => checkSubscription(['order.>'], { group: 'g' }, false, 'memory'))).toBe(
      'ERR_BUS_INVALID_TOPIC',
    );
    expect(checkSubscription(['order.*'], { group: 'g' }, false, 'memory')).toMatchObject({
      group: 'g',
      concurrency: 1,
      maxDeliver: 5,
    });
  });
});
