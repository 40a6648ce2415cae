import { type ChildProcess, spawn } from 'node:child_process';

// Shared by apps/gateway's and apps/platform's main.test.ts; platform, which depends on the gateway,
// imports it as `@interlink/gateway/testing/spawn-main` (a subpath export for tests only).

/** An app's main in its own process, as a deployment runs it. */
export interface MainProcess {
  child: ChildProcess;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /**
   * The address from the service's "listening" log line; rejects, with stderr, if the process exits
   * first. Tests that expect a refusal never await it.
   */
  address: Promise<string>;
  output(): { stdout: string; stderr: string };
  /** Sends SIGTERM, as an orchestrator stops a deployment, and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Kills the process if it still runs (clean-up after a failed test). */
  kill(): void;
}

/** Runs `node <args>` in `cwd` with exactly `env`, capturing its output. */
export function spawnMain(
  args: readonly string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv },
): MainProcess {
  const child = spawn(process.execPath, args, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /"address":"(http:\/\/[^"]+)"/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
  });
  address.catch(() => undefined);
  return {
    child,
    exited,
    address,
    output: () => ({ stdout, stderr }),
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
