import { createService, type Service } from '@interlink/core';
import { type Static, Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '../client/create-service-client.js';
import { failClosed, fallback, none } from '../failure/failure-policy.js';
import { rejection } from '../testing/rejection.test.helper.js';
import { createTypedClient, type TypedClient } from './create-typed-client.js';
import { defineRoute } from './route-definition.js';

// A made-up upstream: the typed client is generic, and the platform's real contracts live in
// @interlink/contracts (which depends on this package, so they cannot be used here).

const Widget = Type.Object({
  widgetId: Type.String(),
  colour: Type.String(),
  ownerId: Type.String(),
  archived: Type.Boolean(),
});
type Widget = Static<typeof Widget>;

const WidgetIdParams = Type.Object({ widgetId: Type.String({ minLength: 1, maxLength: 128 }) });

const widgetRoutes = {
  /** A decision rests on it: fail closed. */
  getWidget: defineRoute({
    method: 'GET',
    path: '/widgets/:widgetId',
    params: WidgetIdParams,
    response: Widget,
    failure: failClosed(),
  }),
  listShelf: defineRoute({
    method: 'GET',
    path: '/shelves/:shelfId/widgets',
    params: Type.Object({ shelfId: Type.String({ minLength: 1 }) }),
    response: Type.Object({ shelfId: Type.String(), widgets: Type.Array(Widget), count: Type.Integer() }),
    failure: failClosed(),
  }),
  /** A write: retried only because it carries an Idempotency-Key; no fallback. */
  moveWidget: defineRoute({
    method: 'POST',
    path: '/widgets/:widgetId/move',
    params: WidgetIdParams,
    body: Type.Object(
      {
        fromShelf: Type.String({ minLength: 1 }),
        toShelf: Type.String({ minLength: 1 }),
        note: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
    response: Type.Object({ moved: Type.Boolean(), widgetId: Type.String(), toShelf: Type.String() }),
    failure: none(),
    idempotencyKey: true,
  }),
};
type WidgetClient = TypedClient<typeof widgetRoutes>;

let upstream: Service;
let client: ServiceClient;
let widgets: WidgetClient;
const seen: Array<{ url: string; key: string | undefined; body: unknown }> = [];
let moveFailures = 0;

beforeAll(async () => {
  upstream = createService({ name: 'widgets', logLevel: 'silent', helmet: false });
  const app = upstream.app;
  app.addHook('onRequest', async (request) => {
    seen.push({
      url: request.url,
      key: request.headers['idempotency-key'] as string | undefined,
      body: undefined,
    });
  });
  app.get('/widgets/:widgetId', async (request) => {
    const { widgetId } = request.params as { widgetId: string };
    if (widgetId === 'broken') return { widgetId, colour: 42 };
    return { widgetId, colour: 'blue', ownerId: 'u1', archived: false };
  });
  app.get('/shelves/:shelfId/widgets', async (request) => {
    const { shelfId } = request.params as { shelfId: string };
    return { shelfId, widgets: [], count: 0 };
  });
  app.post('/widgets/:widgetId/move', async (request, reply) => {
    seen.at(-1)!.body = request.body;
    if (moveFailures > 0) {
      moveFailures--;
      return reply.code(503).send({ code: 'ERR_SERVICE_UNAVAILABLE' });
    }
    const { widgetId } = request.params as { widgetId: string };
    const { toShelf } = request.body as { toShelf: string };
    return { moved: true, widgetId, toShelf };
  });
  const url = await upstream.listen({ handleSignals: false });
  client = createServiceClient({
    service: 'widgets',
    baseUrl: url,
    production: false,
    retry: { baseDelayMs: 1 },
  });
  widgets = createTypedClient(client, widgetRoutes);
});
afterAll(async () => {
  await client.close();
  await upstream.close();
});

describe('typed clients from TypeBox routes', () => {
  it('calls a route with typed params and returns the typed, validated answer', async () => {
    const widget = await widgets.getWidget({ params: { widgetId: 'w 1/2' } });
    expectTypeOf(widget).toEqualTypeOf<Widget>();
    expect(widget).toEqual({ widgetId: 'w 1/2', colour: 'blue', ownerId: 'u1', archived: false });
    expect(seen.at(-1)!.url).toBe('/widgets/w%201%2F2');
    expect((await widgets.listShelf({ params: { shelfId: 's1' } })).count).toBe(0);
  });

  it('refuses a dot-segment path parameter without sending anything', async () => {
    const before = seen.length;
    const error = await rejection(widgets.getWidget({ params: { widgetId: '..' } }));
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(seen.length).toBe(before);
  });

  it('validates the body at run time before sending', async () => {
    const before = seen.length;
    const bad = { params: { widgetId: 'w1' }, body: { fromShelf: 's1' } } as unknown as Parameters<
      WidgetClient['moveWidget']
    >[0];
    const error = await rejection(widgets.moveWidget(bad));
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(error.extensions?.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'body.toShelf' })]),
    );
    expect(seen.length).toBe(before);
  });

  it('raises ERR_UPSTREAM_RESPONSE_INVALID when the answer breaks the schema', async () => {
    const error = await rejection(widgets.getWidget({ params: { widgetId: 'broken' } }));
    expect(error.code).toBe('ERR_UPSTREAM_RESPONSE_INVALID');
  });

  it('retries a write with one Idempotency-Key for the logical call', async () => {
    moveFailures = 2;
    const before = seen.length;
    const result = await widgets.moveWidget({
      params: { widgetId: 'w9' },
      body: { fromShelf: 's1', toShelf: 's2', note: 'tidy' },
    });
    expect(result.toShelf).toBe('s2');
    const attempts = seen.slice(before);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.key)).size).toBe(1);
    expect(attempts[0]!.key).toMatch(/^"[0-9a-f-]{36}"$/);
    // A second logical write gets a key of its own.
    await widgets.moveWidget({ params: { widgetId: 'w9' }, body: { fromShelf: 's2', toShelf: 's3' } });
    expect(seen.at(-1)!.key).not.toBe(attempts[0]!.key);
  });

  it('sends a typed query, optional when all its fields are, and refuses an invalid one', async () => {
    const typed = createTypedClient(client, {
      listShelf: defineRoute({
        method: 'GET',
        path: '/shelves/:shelfId/widgets',
        params: Type.Object({ shelfId: Type.String() }),
        query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: Type.Object({ shelfId: Type.String(), count: Type.Integer() }),
      }),
    });
    await typed.listShelf({ params: { shelfId: 's2' } });
    await typed.listShelf({ params: { shelfId: 's2' }, query: { limit: 50 } });
    expect(seen.at(-1)!.url).toBe('/shelves/s2/widgets?limit=50');
    const before = seen.length;
    const error = await rejection(typed.listShelf({ params: { shelfId: 's2' }, query: { limit: 5000 } }));
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(seen.length).toBe(before);
  });

  it('returns a read route fallback for a malformed answer', async () => {
    const Prices = Type.Object({ prices: Type.Array(Type.Integer()) });
    const typed = createTypedClient(client, {
      getPrices: defineRoute({
        method: 'GET',
        path: '/widgets/:widgetId',
        params: Type.Object({ widgetId: Type.String() }),
        response: Prices,
        failure: fallback({ prices: [] as number[] }),
      }),
    });
    expect(await typed.getPrices({ params: { widgetId: 'x' } })).toEqual({ prices: [] });
  });

  it('checks calls, answers and failure policies at compile time', () => {
    // These lines are checked by `tsc -b`: each @ts-expect-error fails the build if the error disappears.
    const compileOnly = (w: WidgetClient) => {
      // @ts-expect-error widgetId must be a string
      void w.getWidget({ params: { widgetId: 1 } });
      // @ts-expect-error a write needs its body
      void w.moveWidget({ params: { widgetId: 'w' } });
      // @ts-expect-error the params are required
      void w.listShelf();
    };
    const Answer = Type.Object({ a: Type.String() });
    const write = () =>
      defineRoute({
        method: 'POST',
        path: '/x',
        response: Answer,
        // @ts-expect-error a write cannot have a fallback
        failure: fallback({ a: 'x' }),
      });
    defineRoute({
      method: 'GET',
      path: '/x',
      response: Answer,
      // @ts-expect-error the fallback must have the response's type
      failure: fallback({ a: 1 }),
    });
    defineRoute({ method: 'POST', path: '/x', response: Answer, failure: none() });
    expectTypeOf<Awaited<ReturnType<WidgetClient['getWidget']>>['archived']>().toEqualTypeOf<boolean>();
    expect(typeof compileOnly).toBe('function');
    expect(write).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        message: expect.stringMatching(/cannot have a fallback/),
      }),
    );
  });
});
