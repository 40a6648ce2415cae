import { execFile } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { amqpUrl as defaultAmqpUrl, natsUrl } from '../brokers/broker-urls.js';

// Used by the fault tests only (`*.fault.test.ts`): they stop and start the machine's real brokers,
// which needs root and a broker installed as a local service.

const run = promisify(execFile);

/** Resolves once something accepts TCP connections on `port`; rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 60_000, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect({ port, host });
      socket.setTimeout(1000);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`Nothing answers on ${host}:${port} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Stops the RabbitMQ application (the Erlang node stays up): every connection is cut, 5672 closes. */
export async function stopRabbit(): Promise<void> {
  await run('rabbitmqctl', ['stop_app'], { timeout: 60_000 });
}

/** Starts the RabbitMQ application again (a no-op when it runs) and waits until AMQP answers. */
export async function startRabbit(amqpUrl = defaultAmqpUrl): Promise<void> {
  await run('rabbitmqctl', ['start_app'], { timeout: 60_000 });
  await run('rabbitmqctl', ['await_startup', '--timeout', '60'], { timeout: 70_000 });
  await waitForPort(Number(new URL(amqpUrl).port || 5672));
}

/** Which nats-server the NATS fault test stops and starts: the machine's, unless the env says otherwise. */
export interface NatsServerProcess {
  /** The executable; `start-stop-daemon --exec` stops only processes of this file. */
  bin: string;
  port: number;
  storeDir: string;
  logFile: string;
}

/**
 * The machine's nats-server (`/usr/sbin/nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server`),
 * or another one through `NATS_SERVER_BIN`, `NATS_URL`'s port, `NATS_STORE_DIR` and `NATS_LOG_FILE`.
 */
export function natsServerFromEnv(env: NodeJS.ProcessEnv = process.env): NatsServerProcess {
  const port = Number(new URL(env.NATS_URL ?? natsUrl).port || 4222);
  return {
    bin: env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server',
    port,
    storeDir: env.NATS_STORE_DIR ?? '/var/lib/nats-server',
    logFile: env.NATS_LOG_FILE ?? '/var/log/nats-server.log',
  };
}

/** Stops nats-server (SIGTERM, so JetStream flushes its files, then waits for the process to exit). */
export async function stopNats(server: NatsServerProcess): Promise<void> {
  await run('start-stop-daemon', ['--stop', '--oknodo', '--retry', 'TERM/15/KILL/5', '--exec', server.bin], {
    timeout: 30_000,
  });
}

/** Starts nats-server with JetStream (a no-op when it runs) and waits until its port answers. */
export async function startNats(server: NatsServerProcess): Promise<void> {
  await run(
    'start-stop-daemon',
    [
      '--start',
      '--oknodo',
      '--background',
      '--exec',
      server.bin,
      '--',
      '-a',
      '127.0.0.1',
      '-p',
      String(server.port),
      '-js',
      '-sd',
      server.storeDir,
      '-l',
      server.logFile,
    ],
    { timeout: 30_000 },
  );
  await waitForPort(server.port);
}
