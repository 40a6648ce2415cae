import { createBus, createMemoryTransport, createSchemaRegistry } from '@interlink/bus';
import { notRetryable } from '@interlink/core';
import { type Static, Type } from '@sinclair/typebox';

// Your own event types: one TypeBox schema per type and version.
const InvoiceIssued = Type.Object({
  invoiceId: Type.String({ minLength: 1 }),
  totalCents: Type.Integer({ minimum: 0 }),
});
const registry = createSchemaRegistry();
registry.register({ type: 'invoice.issued', version: 1, schema: InvoiceIssued });

// In process, no broker: for tests and single-process apps. Swap the transport, keep the rest.
const transport = createMemoryTransport();
const bus = createBus({ transport, registry, source: '/billing' });

let handled!: (invoiceId: string) => void;
const done = new Promise<string>((resolve) => {
  handled = resolve;
});
const sub = await bus.subscribe<Static<typeof InvoiceIssued>>(
  'invoice.*', // `*` one word, a trailing `#` one or more
  async (event, { attempt }) => {
    if (event.data.totalCents > 1_000_000) throw notRetryable(new Error('needs review')); // dead letter now
    console.log(event.type, event.data.invoiceId, event.tenantid, attempt);
    handled(event.data.invoiceId);
  },
  { group: 'mailer', concurrency: 4, maxDeliver: 5 }, // a consumer group; each group gets every event
);

await bus.publish({
  type: 'invoice.issued',
  subject: 'inv-1',
  tenantId: 'acme',
  data: { invoiceId: 'inv-1', totalCents: 4200 },
});
console.log(await done); // invoice.issued inv-1 acme 1, then inv-1

// Invalid data is refused before anything is sent.
await bus
  .publish({ type: 'invoice.issued', data: { invoiceId: '', totalCents: -1 } })
  .catch((error: { code: string }) => console.log(error.code)); // ERR_BUS_EVENT_INVALID

await sub.close(); // waits for in-flight handlers
await bus.close();
