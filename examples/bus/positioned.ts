// Needs NATS (NATS_URL): type-checked only by the packaging test.

import { BusError, createBus, createNatsTransport, createSchemaRegistry } from '@interlink/bus';
import { Type } from '@sinclair/typebox';

const registry = createSchemaRegistry();
registry.register({ type: 'note', version: 1, schema: Type.Object({ n: Type.Integer() }) });
const lastSeen = Number(process.argv[2] ?? 0); // the last position a client saw
const send = (position: number, event: unknown) => console.log('send', position, event);
const sendReset = (details: unknown) => console.log('reset', details);

// #region readme
// Subjects events.{tenantId}.{userId}.{type}: one tenant or one user is one subject filter.
const transport = await createNatsTransport({ stream: 'GATEWAY_EVENTS' });
const bus = createBus({ transport, registry, source: '/gateway' });

const { epoch, first, last } = await bus.positioned.info(); // epoch changes when the stream is recreated
const { position } = await bus.positioned.publish({
  type: 'note',
  tenantId: 't1',
  userId: 'u1',
  data: { n: 1 },
});

// Live: everything from now on, every tenant and user, one consumer.
const live = await bus.positioned.subscribe(); // start: 'new' (default), 'all' or { after: n }
void (async () => {
  for await (const { position, event } of live)
    console.log(position, event.tenantid, event.userid, event.type);
})();

// Resume one client: its tenant-wide and its own events after the last position it saw, up to now.
try {
  const missed = await bus.positioned.subscribe({
    start: { after: lastSeen },
    scopes: [{ tenantId: 't1' }, { tenantId: 't1', userId: 'u1' }],
    until: (await bus.positioned.info()).last, // the iteration ends there
  });
  for await (const { position, event } of missed) send(position, event);
} catch (error) {
  // History after lastSeen was purged or aged out: tell the client to reset instead of a silent gap.
  if (error instanceof BusError && error.code === 'ERR_BUS_POSITION_GONE') sendReset(error.extensions);
  else throw error;
}
await live.close();
// #endregion readme

console.log(epoch, first, last, position);
await bus.close();
