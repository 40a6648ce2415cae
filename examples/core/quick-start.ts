import { CoreError, createService, loadConfig, requireContext, Secret } from '@interlink/core';
import { Type } from '@sinclair/typebox';

const config = loadConfig(
  Type.Object({
    PORT: Type.Integer({ default: 3000 }),
    // Optional in development; in production required, 32+ characters and not a known default.
    ORDER_SIGNING_SECRET: Type.Optional(Secret()),
  }),
);

const orders = new Map([['order-42', { id: 'order-42', status: 'paid' }]]); // your database here

const service = createService({ name: 'order-service', profile: 'internal' }); // called by services, not browsers
service.addReadinessCheck('orders', async () => {
  if (orders.size === 0) throw new Error('no orders loaded'); // GET /ready runs it: 503 while it throws
});
service.onClose('orders', () => orders.clear()); // closed after in-flight requests finish

const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

// Params, query, body and reply are typed from their TypeBox schemas, and validated: a bad id is a 400 problem.
service.app.get('/internal/orders/:id', { schema: { params: OrderParams } }, async (request) => {
  const { requestId, trace, deadline } = requireContext(); // also request.interlink
  request.log.info({ requestId, traceId: trace.traceId, deadline }, 'order lookup');
  const order = orders.get(request.params.id);
  if (!order) throw new CoreError('ERR_NOT_FOUND', 'No such order'); // -> 404 application/problem+json
  return order;
});

const address = await service.listen({ port: config.PORT }); // SIGTERM/SIGINT: drain up to 30 s, close, exit 0
const missing = await fetch(`${address}/internal/orders/order-7`);
const problem = (await missing.json()) as { code: string; requestId: string };
console.log(missing.status, missing.headers.get('content-type'), problem.code);
// 404 application/problem+json ERR_NOT_FOUND
await service.close();
