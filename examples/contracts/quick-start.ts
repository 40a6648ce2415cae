import { createServiceClient, createTypedClient, defineRoute, failClosed } from '@interlink/client';
import {
  defineServiceContract,
  openApiDocument,
  permissionMapOf,
  registerContractRoutes,
  Uuid,
} from '@interlink/contracts';
import { CoreError, createService, InterlinkError } from '@interlink/core';
import { Type } from '@sinclair/typebox';

// #region contract
// Your service's internal API, once: routes, schemas, and who may call what.
const Widget = Type.Object({ id: Uuid(), name: Type.String({ maxLength: 100 }), stock: Type.Integer() });

export const widgetServiceContract = defineServiceContract({
  service: 'widget-service',
  version: '1',
  title: 'widget-service internal API',
  routes: {
    getWidget: defineRoute({
      method: 'GET',
      path: '/internal/widgets/:widgetId',
      params: Type.Object({ widgetId: Uuid() }),
      response: Widget,
      failure: failClosed(), // callers fail rather than guess when widget-service is down
    }),
    reserve: defineRoute({
      method: 'POST',
      path: '/internal/widgets/:widgetId/reserve',
      params: Type.Object({ widgetId: Uuid() }),
      body: Type.Object(
        { quantity: Type.Integer({ minimum: 1, maximum: 100 }) },
        { additionalProperties: false },
      ),
      response: Type.Object({ reserved: Type.Integer() }),
      idempotencyKey: true, // a new Idempotency-Key per logical call: retrying the write is safe
    }),
  },
  docs: {
    getWidget: {
      summary: 'One widget',
      permission: 'widgets:read',
      consumers: ['order-service'],
      problems: [404],
    },
    reserve: {
      summary: 'Reserve stock',
      permission: 'widgets:reserve',
      consumers: ['order-service'],
      problems: [404, 409],
    },
  },
});
// #endregion contract

// #region serve
const widgets = new Map([['0b7f8a3c-1d2e-4f5a-8b9c-0d1e2f3a4b5c', { name: 'sprocket', stock: 3 }]]);

// Server: every route of the contract, validated and serialized by its schemas (the types require all of them).
const service = createService({ name: 'widget-service', profile: 'internal', logLevel: 'warn' });
registerContractRoutes(service.app, widgetServiceContract, {
  getWidget: async (request) => {
    const widget = widgets.get(request.params.widgetId);
    if (!widget) throw new CoreError('ERR_NOT_FOUND', 'No such widget'); // a 404 problem
    return { id: request.params.widgetId, ...widget };
  },
  reserve: async (request) => {
    const widget = widgets.get(request.params.widgetId);
    if (!widget) throw new CoreError('ERR_NOT_FOUND', 'No such widget');
    if (widget.stock < request.body.quantity)
      throw new InterlinkError('ERR_WIDGET_OUT_OF_STOCK', 'Not enough stock', {
        status: 409,
        title: 'Out of stock',
      }); // your own code
    widget.stock -= request.body.quantity;
    return { reserved: request.body.quantity };
  },
});
const url = await service.listen({ port: 0, handleSignals: false });

// Client: the same routes, typed, checked before sending and on receipt.
const upstream = createServiceClient({ service: 'widget-service', baseUrl: url });
const widgetService = createTypedClient(upstream, widgetServiceContract.routes);
const widget = await widgetService.getWidget({
  params: { widgetId: '0b7f8a3c-1d2e-4f5a-8b9c-0d1e2f3a4b5c' },
});
console.log(widget.name, widget.stock); // sprocket 3
await widgetService
  .getWidget({ params: { widgetId: '../admin' } })
  .catch((error: { code: string }) => console.log(error.code)); // ERR_CLIENT_REQUEST_INVALID: never sent

// The permission map your auth set-up grants from, and the OpenAPI 3.1 document.
console.log(permissionMapOf(widgetServiceContract)); // { 'order-service': [ 'widgets:read', 'widgets:reserve' ] }
console.log(Object.keys((await openApiDocument(widgetServiceContract)).paths ?? {}).length); // 2
// #endregion serve

await upstream.close();
await service.close();
