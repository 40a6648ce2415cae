/**
 * `@interlink/testing/faults`: for `*.fault.test.ts` only. These stop and restart the machine's real
 * brokers (root and a local service install needed), so the main suite never imports them.
 */
export {
  type NatsServerProcess,
  natsServerFromEnv,
  startNats,
  startRabbit,
  stopNats,
  stopRabbit,
  waitForPort,
} from './faults/broker-control.js';
export {
  type ConnectionRecord,
  createOutboxRestartFixture,
  expectNoneLost,
  type OutboxRestartFixture,
  type OutboxRestartResult,
  type OutboxRestartScenario,
  runOutboxRestartScenario,
} from './faults/outbox-restart-scenario.js';
export { createScenarioDatabase, type ScenarioDatabase } from './faults/scenario-database.js';
