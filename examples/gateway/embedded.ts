import { startEmbeddedGateway } from '@interlink/gateway';

// Memory events, memory stores, a dev JWT verifier whose key is generated now, a random service
// token for POST /internal/events, the demo page and an echo upstream behind /api/*.
// Refused when NODE_ENV=production.
const port = Number(process.env.PORT ?? 3000);
const { url, serviceToken, close } = await startEmbeddedGateway({ port });
console.log(`open ${url}/demo/`);
const published = await fetch(`${url}/internal/events`, {
  method: 'POST',
  headers: { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' },
  body: JSON.stringify({ tenantId: 'demo-tenant', userId: 'demo-user', type: 'hello', data: { n: 1 } }),
});
console.log(published.status); // 202
if (process.env.PORT === '0') await close(); // a run on a free port ends here; on 3000 it serves until Ctrl-C
