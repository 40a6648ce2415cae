// Seed preset: the seeds' event types, kept apart from the bus's own code until they move to
// packages/contracts (exported from `@interlink/bus/presets`, not the main entry).
import { Type } from '@sinclair/typebox';
import type { EventDefinition, SchemaRegistry } from '../envelope/schema-registry.js';

const Variables = Type.Record(Type.String(), Type.Unknown());
const Template = Type.String({ minLength: 1, maxLength: 200 });

export const EmailMessage = Type.Object({
  to: Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 320 }),
  template: Template,
  subject: Type.Optional(Type.String({ maxLength: 500 })),
  variables: Type.Optional(Variables),
});
export const SmsMessage = Type.Object({
  to: Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$' }),
  template: Template,
  variables: Type.Optional(Variables),
});
export const PushMessage = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 100 }),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  body: Type.String({ maxLength: 4000 }),
  data: Type.Optional(Variables),
});
export const SlackMessage = Type.Object({
  channel: Type.String({ minLength: 1, maxLength: 100 }),
  text: Type.String({ minLength: 1, maxLength: 40000 }),
});

/** Seed 000's message-gateway routing keys (`messages.<channel>`), published to `tickettoken_events`. */
export const messageEventDefinitions: readonly EventDefinition[] = [
  { type: 'messages.email', version: 1, schema: EmailMessage },
  { type: 'messages.sms', version: 1, schema: SmsMessage },
  { type: 'messages.push', version: 1, schema: PushMessage },
  { type: 'messages.slack', version: 1, schema: SlackMessage },
];

/** Registers {@link messageEventDefinitions}. */
export function registerMessageEvents(registry: SchemaRegistry): void {
  for (const definition of messageEventDefinitions) registry.register(definition);
}
