export {
  type Bus,
  type CreateBusOptions,
  createBus,
  type EventHandler,
  type HandlerInfo,
} from './bus/create-bus.js';
export type {
  BusPositionedSubscribeOptions,
  PositionedBus,
  PositionedEvent,
} from './bus/positioned-bus.js';
export {
  AMQP_ATTRIBUTE_PREFIX,
  binaryCodec,
  NATS_ATTRIBUTE_PREFIX,
} from './codecs/binary-codec.js';
export {
  type EncodeContext,
  type EncodedEvent,
  type EventCodec,
  structuredCodec,
} from './codecs/event-codec.js';
export type { LegacyDelivery, LegacyFormat } from './codecs/legacy-format.js';
export { type ReadDeliveryOptions, type ReadEvent, readDelivery } from './codecs/read-delivery.js';
export type { DeadLetter, DeadLetterStore, ListDeadLettersOptions } from './dead-letters/dead-letter.js';
export { type CreateEventOptions, createEvent, type EventInput } from './envelope/create-event.js';
export { decodeEvent } from './envelope/decode-event.js';
export { DEFAULT_MAX_EVENT_BYTES, encodeEvent } from './envelope/encode-event.js';
export { createEventClock, type EventClock } from './envelope/event-clock.js';
export { type EventEnvelope, EventEnvelopeSchema } from './envelope/event-envelope.js';
export {
  createSchemaRegistry,
  type EventDefinition,
  type SchemaIssue,
  type SchemaRegistry,
  type SchemaRegistryOptions,
} from './envelope/schema-registry.js';
export { BusError, type BusErrorCode, busErrorCodes } from './errors/bus-error-codes.js';
export { DEFAULT_INBOX_TTL_MS, type Inbox } from './inbox/inbox.js';
export { createMemoryInbox, type MemoryInboxOptions } from './inbox/memory-inbox.js';
export {
  createPostgresInbox,
  type PostgresInbox,
  type PostgresInboxOptions,
  withPostgresInbox,
} from './inbox/postgres-inbox.js';
export { createRedisInbox, type RedisInboxOptions } from './inbox/redis-inbox.js';
export {
  createMemoryBroker,
  createMemoryTransport,
  type MemoryBroker,
  type MemoryBrokerOptions,
  type MemoryTransportOptions,
} from './memory/memory-transport.js';
export { type BusMetrics, createBusMetrics, observeConsumerLag } from './metrics/bus-metrics.js';
export { eventSubject, NO_SCOPE, patternSubject, topicOfSubject } from './nats/nats-subjects.js';
export { createNatsTransport, type NatsTransportOptions } from './nats/nats-transport.js';
export {
  BUS_SUBJECT_SCHEME,
  EVENT_TYPE_HEADER,
  SEED_003_ENTITY_SUBJECT_SCHEME,
  SEED_003_SUBJECT_SCHEME,
  type SubjectParts,
  type SubjectScheme,
} from './nats/subject-scheme.js';
export { createOutbox, type Outbox, type OutboxOptions } from './outbox/outbox.js';
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay.js';
export { busMigrations, DEFAULT_BUS_SCHEMA, migrateBus } from './postgres/migrate-bus.js';
export type { Queryable } from './postgres/queryable.js';
export {
  deadLetterQueueName,
  isolatedRabbitTopology,
  queueName,
  type RabbitTopology,
} from './rabbitmq/rabbit-topology.js';
export { createRabbitTransport, type RabbitTransportOptions } from './rabbitmq/rabbit-transport.js';
export {
  createRedisPubSubTransport,
  type RedisPubSubTransportOptions,
} from './redis/redis-pubsub-transport.js';
export type {
  PositionedDelivery,
  PositionedLog,
  PositionedSubscribeOptions,
  PositionedSubscription,
  PositionInfo,
  StreamScope,
} from './transport/positioned.js';
export { isTenantId, isTopic, isUserId } from './transport/topic.js';
export type {
  Backoff,
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
} from './transport/transport.js';
