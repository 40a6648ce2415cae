import { ConfigError, isInterlinkError } from '@interlink/core';

/**
 * What a process's `main().catch()` does with a start-up failure: configuration problems (one
 * message naming every bad variable) exit 78, EX_CONFIG, so an orchestrator can tell a bad
 * deployment from a crash; anything else exits 1. Only the message is printed, never a stack.
 */
export function exitOnStartupError(error: unknown, processName: string): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  if (isInterlinkError(error) && error.code === 'ERR_GATEWAY_CONFIG') {
    process.stderr.write(`Invalid configuration: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(
    `${processName} failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
