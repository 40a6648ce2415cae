import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger/create-logger.js';
import { logLines, serviceFactory } from './service-under-test.test.helper.js';

const make = serviceFactory();

describe('createService: request logging', () => {
  it('probes never log more than the service: a failed readiness check stays out of a silent or error-level log', async () => {
    for (const level of ['silent', 'error']) {
      const lines = logLines();
      const { service } = make({ logger: createLogger({ name: 'test', destination: lines.stream, level }) });
      service.addReadinessCheck('db', () => {
        throw new Error('down');
      });
      expect((await service.app.inject({ url: '/ready' })).statusCode).toBe(503);
      expect(lines.out).toEqual([]);
    }
    const atWarn = logLines();
    const warn = make({ logger: createLogger({ name: 'test', destination: atWarn.stream, level: 'warn' }) });
    warn.service.addReadinessCheck('db', () => {
      throw new Error('down');
    });
    await warn.service.app.inject({ url: '/ready' });
    expect(atWarn.out.map((l) => l.msg)).toEqual(['readiness check failed']);
  });

  it('puts the trace id on every log line written for the request', async () => {
    const { service, logs } = make();
    service.app.get('/logs', async (request) => {
      request.log.info('inside handler');
      return {};
    });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await service.app.inject({ url: '/logs', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const line = logs.find((l) => l.msg === 'inside handler');
    expect(line).toMatchObject({ traceId, service: 'test' });
    expect(line?.reqId).toBeDefined();
  });

  it('still writes Fastify request log lines, and honours disableRequestLogging', async () => {
    const logged = make();
    logged.service.app.get('/x', async () => ({}));
    await logged.service.app.inject({ url: '/x' });
    expect(logged.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    const quiet = make({ fastify: { disableRequestLogging: true } });
    quiet.service.app.get('/x', async () => ({}));
    await quiet.service.app.inject({ url: '/x' });
    expect(quiet.logs.map((l) => l.msg)).not.toContain('request completed');
    expect((await quiet.service.app.inject({ url: '/metrics' })).body).toContain('route="/x"');
  });

  it('logs each request at info with its request id, status and time, and nothing at warn', async () => {
    const atInfo = logLines();
    const info = make({ logger: createLogger({ name: 'test', destination: atInfo.stream, level: 'info' }) });
    info.service.app.get('/orders', async () => ({}));
    await info.service.app.inject({
      url: '/orders?token=tok-secret',
      headers: { 'x-request-id': 'req-log-1' },
    });
    await info.service.app.inject({ url: '/nowhere', headers: { 'x-request-id': 'req-log-2' } });
    const incoming = atInfo.out.find((l) => l.msg === 'incoming request' && l.reqId === 'req-log-1');
    expect(incoming).toMatchObject({ level: 30, req: { method: 'GET', url: '/orders?token=[REDACTED]' } });
    const completed = atInfo.out.filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => [l.reqId, (l.res as { statusCode: number }).statusCode])).toEqual([
      ['req-log-1', 200],
      ['req-log-2', 404],
    ]);
    expect(completed[0]).toMatchObject({ level: 30, service: 'test', responseTime: expect.any(Number) });
    expect(completed[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(atInfo.out)).not.toContain('tok-secret');

    const atWarn = logLines();
    const warn = make({ logger: createLogger({ name: 'test', destination: atWarn.stream, level: 'warn' }) });
    warn.service.app.get('/orders', async () => ({}));
    await warn.service.app.inject({ url: '/orders' });
    await warn.service.app.inject({ url: '/nowhere' });
    expect(atWarn.out).toEqual([]);
    // The duration metric does not depend on the log level.
    expect((await warn.service.app.inject({ url: '/metrics' })).body).toContain('route="/orders"');
  });

  it("writes a handler's lines with the request id and trace id, at each route's own log level", async () => {
    const { out, stream } = logLines();
    const { service } = make({ logger: createLogger({ name: 'test', destination: stream, level: 'info' }) });
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
    await service.app.inject({ url: '/warns', headers: { 'x-request-id': 'req-route-1' } });
    await service.app.inject({ url: '/chatty', headers: { 'x-request-id': 'req-route-2' } });
    await service.app.inject({ url: '/quiet', headers: { 'x-request-id': 'req-route-3' } });
    const careful = out.find((l) => l.msg === 'careful');
    expect(careful).toMatchObject({ reqId: 'req-route-1', orderId: 'o-1', level: 40, service: 'test' });
    expect(careful?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(out.some((l) => l.msg === 'hidden at info')).toBe(false);
    expect(out.find((l) => l.msg === 'shown: the route logs at debug')).toMatchObject({
      reqId: 'req-route-2',
    });
    expect(out.some((l) => String(l.msg).startsWith('hidden: the route'))).toBe(false);
  });
});
