import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RealtimeStatus } from '@interlink/realtime-client';

// Any server-sent events endpoint will do: this plain one sends no Interlink frames at all.
const server = createServer((request, response) => {
  if (request.url !== '/orders/stream') return void response.writeHead(404).end();
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  response.write(`retry: 2000\nid: 1\nevent: order.paid\ndata: {"orderId":"order-42"}\n\n`);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const auth = { currentAccessToken: () => 'the-user-jwt' }; // your sign-in library
const statuses: RealtimeStatus[] = [];
const render = (status: RealtimeStatus) => statuses.push(status);
const reloadOrders = (reason: string) => console.log(`reload the orders (${reason})`);
let paid: (orderId: string) => void = () => undefined;
const firstPaid = new Promise<string>((resolve) => {
  paid = resolve;
});
const showPaid = (orderId: string) => paid(orderId);

// #region client
import { createRealtimeClient } from '@interlink/realtime-client';

const client = createRealtimeClient({
  url: serverUrl,
  path: '/orders/stream', // default /events/stream, the Interlink gateway's
  getToken: () => auth.currentAccessToken(), // optional; sent as a bearer token, asked before every connection
  onReset: ({ reason }) => reloadOrders(reason), // events may have been missed: refetch
  onStatus: (status) => render(status), // connecting | open | reconnecting | closed
});
client.on<{ orderId: string }>('order.paid', (event) => showPaid(event.data.orderId));
// later: client.close();
// #endregion client

console.log(await firstPaid, statuses.join(' -> '), client.lastEventId); // order-42 connecting -> open 1
client.close();
server.closeAllConnections();
server.close();
