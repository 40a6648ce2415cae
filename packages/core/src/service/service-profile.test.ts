import { describe, expect, it } from 'vitest';
import { currentContext } from '../context/request-context.js';
import { createService } from './create-service.js';
import { SERVICE_PROFILES } from './service-profile.js';
import { serviceFactory } from './service-under-test.test.helper.js';

const make = serviceFactory();

// Every header helmet 8 can write: what a browser acts on and a machine caller ignores.
const BROWSER_HEADERS = [
  'content-security-policy',
  'cross-origin-embedder-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

// What the public profile writes by default (helmet with API_HELMET_OPTIONS).
const PUBLIC_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-xss-protection': '0',
};

// Headers Node and Fastify write on any response; the request id is the kit's one header.
const TRANSPORT_HEADERS = ['connection', 'content-length', 'content-type', 'date'];

/** A service of `profile` with a JSON route, a failing route, and the kit's own routes. */
function serviceWith(profile: 'internal' | 'public') {
  const { service } = make({ profile });
  service.app.get('/orders/:id', async () => ({ id: 'o-1' }));
  service.app.get('/fails', async () => {
    throw new Error('db down');
  });
  return service;
}

// A success, a problem from the not-found handler, one from the error handler, a kit route.
const URLS = ['/orders/1', '/nowhere', '/fails', '/health'];

describe('service profiles: the headers a caller sees', () => {
  it('internal writes only the request id on top of what any response carries', async () => {
    const service = serviceWith('internal');
    for (const url of URLS) {
      const res = await service.app.inject({ url });
      expect(Object.keys(res.headers).sort(), url).toEqual(['x-request-id', ...TRANSPORT_HEADERS].sort());
      for (const name of BROWSER_HEADERS) expect(res.headers[name], `${url} ${name}`).toBeUndefined();
    }
  });

  it('public writes the full browser set on every response, problems included', async () => {
    const service = serviceWith('public');
    for (const url of URLS) {
      const res = await service.app.inject({ url });
      expect(res.headers, url).toMatchObject(PUBLIC_HEADERS);
      expect(res.headers['x-request-id'], url).toBeTypeOf('string');
    }
  });

  it("is 'public' when no profile is given, so a service nobody thought about is not left bare", async () => {
    const { service } = make();
    const res = await service.app.inject({ url: '/health' });
    expect(res.headers).toMatchObject(PUBLIC_HEADERS);
  });

  it('public takes helmet options for services that serve pages, and lets a route opt out', async () => {
    const { service } = make({
      profile: 'public',
      helmet: { contentSecurityPolicy: { directives: { scriptSrc: ["'self'"] } } },
    });
    service.app.get('/page', async () => 'ok');
    service.app.get('/proxied', { config: { securityHeaders: false } }, async () => 'ok');
    const page = await service.app.inject({ url: '/page' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const proxied = await service.app.inject({ url: '/proxied' });
    expect(proxied.headers['content-security-policy']).toBeUndefined();
    expect(proxied.headers['x-request-id']).toBeTypeOf('string');
  });

  it('refuses helmet options on the internal profile, and an unknown profile', () => {
    expect(() =>
      createService({ name: 'x', logLevel: 'silent', profile: 'internal', helmet: { frameguard: false } }),
    ).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID', message: expect.stringMatching(/public/) }),
    );
    expect(() => createService({ name: 'x', logLevel: 'silent', profile: 'browser' as 'public' })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        message: expect.stringMatching(/Unknown service profile 'browser'/),
      }),
    );
  });
});

describe.each(SERVICE_PROFILES)('service profile %s: what both profiles do', (profile) => {
  it('continues the caller trace and keeps its request id', async () => {
    const { service } = make({ profile });
    service.app.get('/ctx', async () => currentContext());
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await service.app.inject({
      url: '/ctx',
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'req-profile-1' },
    });
    expect(res.headers['x-request-id']).toBe('req-profile-1');
    const ctx = res.json();
    expect(ctx).toMatchObject({
      requestId: 'req-profile-1',
      trace: { traceId, parentSpanId: '00f067aa0ba902b7' },
    });
    expect(ctx.trace.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('answers errors with problem documents that name the request id', async () => {
    const service = serviceWith(profile);
    for (const [url, code, status] of [
      ['/nowhere', 'ERR_NOT_FOUND', 404],
      ['/fails', 'ERR_INTERNAL', 500],
    ] as const) {
      const res = await service.app.inject({ url, headers: { 'x-request-id': `req-${status}` } });
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['x-request-id']).toBe(`req-${status}`);
      expect(res.json()).toMatchObject({ code, status, requestId: `req-${status}` });
      expect(res.body).not.toContain('db down');
    }
  });

  it('records request durations by route template', async () => {
    const service = serviceWith(profile);
    await service.app.inject({ url: '/orders/1' });
    const metrics = (await service.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/orders\/:id"[^}]*\} 1/);
  });
});
