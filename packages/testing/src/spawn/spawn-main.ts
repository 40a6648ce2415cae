import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { typeScriptNodeArgs } from './typescript-child.js';

// Shared by apps/gateway's and apps/platform's main.test.ts (and the services' main tests): an app's
// main in a child process, as a deployment runs it.

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

/** The repository's root: this file sits four levels below it, in `src/spawn/` as in `dist/spawn/`. */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Runs an app's TypeScript entry (`apps/gateway/src/main.ts`, relative to the repository root) from
 * the sources ({@link typeScriptNodeArgs}) in the root, with exactly `env`.
 */
export function spawnApp(entry: string, env: NodeJS.ProcessEnv): MainProcess {
  return spawnMain([...typeScriptNodeArgs, entry], { cwd: repoRoot, env });
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

/** A port free at the moment of the call, for a main whose log level hides its "listening" line. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `GET {url}/health` answers 200; rejects if `main` exits first. */
export async function serving(url: string, main: MainProcess): Promise<void> {
  let exited = false;
  main.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`exited before serving: ${main.output().stderr}`);
    const ok = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Opens a request the server has parsed (it answered `100 Continue`) whose body never arrives, so
 * a graceful shutdown must wait for it until its timeout. Destroy the socket when done.
 */
export function holdRequestOpen(port: number, path = '/demo/sign-in'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.setEncoding('utf8');
    socket.once('data', (head: string) => {
      if (head.startsWith('HTTP/1.1 100')) resolve(socket);
      else reject(new Error(`expected 100 Continue, got ${head}`));
    });
    socket.write(
      `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        'content-length: 64\r\nexpect: 100-continue\r\n\r\n',
    );
  });
}

/** What a main did with the variables one of the two entries used to ignore ({@link runWithSharedVariables}). */
export interface SharedVariablesRun {
  /** Status of an unauthenticated `POST /events/token` (counted by the per-IP rate limit first). */
  tokenStatus: number;
  /** Redis keys under the `GATEWAY_REDIS_PREFIX` given, after that request. */
  keysUnderPrefix: string[];
  /** Exit code after SIGTERM with a request held open past `SHUTDOWN_TIMEOUT_MS`. */
  exitCode: number | null;
  stdout: string;
}

/**
 * Starts a main with `LOG_LEVEL=warn`, `SHUTDOWN_TIMEOUT_MS=100` and `GATEWAY_REDIS_PREFIX=prefix`
 * (plus `REDIS_URL`) on a free port, sends a token request, holds a request open and stops it.
 */
export async function runWithSharedVariables(
  start: (env: Record<string, string>) => MainProcess,
  options: { redisUrl: string; prefix: string },
): Promise<SharedVariablesRun> {
  const port = await freePort();
  const main = start({
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '100',
    REDIS_URL: options.redisUrl,
    GATEWAY_REDIS_PREFIX: options.prefix,
  });
  const address = `http://127.0.0.1:${port}`;
  try {
    await serving(address, main);
    const tokenStatus = (await fetch(`${address}/events/token`, { method: 'POST' })).status;
    const redis = new Redis(options.redisUrl);
    const keysUnderPrefix = await redis.keys(`${options.prefix}*`).finally(() => redis.disconnect());
    const held = await holdRequestOpen(port);
    const exitCode = await main.stop();
    held.destroy();
    return { tokenStatus, keysUnderPrefix, exitCode, stdout: main.output().stdout };
  } finally {
    main.kill();
  }
}
