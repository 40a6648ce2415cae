// Test support for the service kit's tests, named *.test.helper.ts: vitest does not collect it, and
// the package's `files` (`!dist/**/*.test.*`) leaves it out of what is published.
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { createLogger } from '../logger/create-logger.js';
import { createService, type Service, type ServiceOptions } from './create-service.js';

export type LogLine = Record<string, unknown>;

/** A stream that parses the JSON lines pino writes to it. */
export function logLines(): { out: LogLine[]; stream: Writable } {
  const out: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) out.push(JSON.parse(line));
      cb();
    },
  });
  return { out, stream };
}

/**
 * Creates services that log at `debug` into an array and closes them after each test of the file
 * that calls it.
 */
export function serviceFactory(): (options?: Partial<ServiceOptions>) => {
  service: Service;
  logs: LogLine[];
} {
  const services: Service[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });
  return (options = {}) => {
    const { out, stream } = logLines();
    const service = createService({
      name: 'test',
      logger: createLogger({ name: 'test', destination: stream, level: 'debug' }),
      ...options,
    });
    services.push(service);
    return { service, logs: out };
  };
}

/** A raw socket to a listening service, with what it received and whether the server closed it. */
export async function rawSocket(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const state = {
    received: '',
    closed: new Promise<void>((resolve) => socket.once('close', () => resolve())),
  };
  socket.on('data', (chunk) => (state.received += chunk.toString('latin1')));
  return { socket, state };
}
