import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createService, type Service } from '../service/create-service.js';
import { createLogger } from './create-logger.js';

function capture(level: string) {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ name: 'lazy-child-test', level, destination });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

describe('request loggers', () => {
  it('write what a pino child would (request id, trace id, level) and honour route log levels', async () => {
    const { logger, lines } = capture('info');
    const service = createService({ name: 'lazy', logger, handleSignals: false } as never);
    services.push(service);
    service.app.get('/warns', async (request) => {
      request.log.debug('hidden at info');
      request.log.warn({ orderId: 'o-1' }, 'careful');
      return { ok: true };
    });
    service.app.get('/chatty', { logLevel: 'debug' }, async (request) => {
      request.log.debug('shown: the route logs at debug');
      return { ok: true };
    });
    service.app.get('/quiet', { logLevel: 'error' }, async (request) => {
      request.log.warn('hidden: the route logs at error only');
      return { ok: true };
    });
    await service.app.inject({ url: '/warns', headers: { 'x-request-id': 'req-lazy-1' } });
    await service.app.inject({ url: '/chatty', headers: { 'x-request-id': 'req-lazy-2' } });
    await service.app.inject({ url: '/quiet', headers: { 'x-request-id': 'req-lazy-3' } });

    const written = lines();
    const careful = written.find((l) => l.msg === 'careful');
    expect(careful).toMatchObject({
      reqId: 'req-lazy-1',
      orderId: 'o-1',
      level: 40,
      service: 'lazy-child-test',
    });
    expect(careful?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(written.some((l) => l.msg === 'hidden at info')).toBe(false);
    expect(written.find((l) => l.msg === 'shown: the route logs at debug')).toMatchObject({
      reqId: 'req-lazy-2',
    });
    expect(written.some((l) => String(l.msg).startsWith('hidden: the route'))).toBe(false);
    // Fastify's own per-request lines still carry the request id.
    expect(written.filter((l) => l.msg === 'request completed').map((l) => l.reqId)).toContain('req-lazy-1');
  });

  it('builds no pino child for a request that writes no line', async () => {
    const { logger } = capture('warn');
    const child = vi.spyOn(logger, 'child');
    const service = createService({ name: 'lazy', logger, handleSignals: false } as never);
    services.push(service);
    service.app.get('/silent', async (request) => {
      request.log.info('below the level');
      return { ok: true };
    });
    service.app.get('/loud', async (request) => {
      request.log.error('written');
      return { ok: true };
    });
    await service.app.ready();
    child.mockClear(); // the service's own component loggers, made once at start-up
    for (let i = 0; i < 20; i++) await service.app.inject({ url: '/silent' });
    expect(child).not.toHaveBeenCalled();
    await service.app.inject({ url: '/loud' });
    expect(child).toHaveBeenCalledTimes(1);
  });
});
