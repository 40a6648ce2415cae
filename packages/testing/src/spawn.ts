/**
 * `@interlink/testing/spawn`: apps and TypeScript files in child processes, as a deployment runs
 * them, and the checks both app mains share (these import vitest).
 */
export {
  expectProductionGateway,
  expectSharedVariablesTaken,
  type GatewayMainNames,
  gatewayMainNames,
  productionGatewayEnv,
  strongSecret,
} from './spawn/gateway-main-expectations.js';
export {
  freePort,
  holdRequestOpen,
  type MainProcess,
  runWithSharedVariables,
  type SharedVariablesRun,
  serving,
  spawnApp,
  spawnMain,
} from './spawn/spawn-main.js';
