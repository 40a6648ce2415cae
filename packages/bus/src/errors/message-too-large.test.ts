import { isRetryable } from '@interlink/core';
import { waitFor } from '@interlink/testing';
import { expect, it } from 'vitest';
import { createBus } from '../bus/create-bus.js';
import { createSchemaRegistry } from '../envelope/schema-registry.js';
import { createMemoryTransport } from '../memory/memory-transport.js';
import { BusError } from './bus-error-codes.js';

it('never retries ERR_BUS_MESSAGE_TOO_LARGE: the same event encodes to the same size', async () => {
  // A handler whose own publish is oversized: a redelivery would fail the same way, so the
  // delivery is dead-lettered after its first attempt, not after maxDeliver.
  const bus = createBus({
    transport: createMemoryTransport({ maxBytes: 2048 }),
    registry: createSchemaRegistry({ unknownTypes: 'pass' }),
    source: '/order-service',
  });
  await bus.subscribe(
    'report.requested',
    async () => {
      await bus.publish({ type: 'report.ready', data: { rows: 'x'.repeat(4096) } });
    },
    { group: 'too-large', maxDeliver: 5, backoff: () => 1 },
  );
  await bus.publish({ type: 'report.requested', data: { id: 'r-1' } });
  await waitFor(async () => (await bus.transport.deadLetters!.list()).length === 1, 'the dead letter');
  const [letter] = await bus.transport.deadLetters!.list();
  expect(letter).toMatchObject({ code: 'ERR_BUS_MESSAGE_TOO_LARGE', attempts: 1, group: 'too-large' });
  await bus.close();
  expect(isRetryable(new BusError('ERR_BUS_MESSAGE_TOO_LARGE', 'x'))).toBe(false);
});
