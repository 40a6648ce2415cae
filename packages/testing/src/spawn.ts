/** `@interlink/testing/spawn`: apps and TypeScript files in child processes, as a deployment runs them. */
export {
  freePort,
  holdRequestOpen,
  type MainProcess,
  runWithSharedVariables,
  type SharedVariablesRun,
  serving,
  spawnMain,
} from './spawn/spawn-main.js';
