import { type EmbeddedGateway, type GatewayOptions, startEmbeddedGateway } from '@interlink/gateway';
import { waitFor } from '@interlink/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRealtimeClient,
  type RealtimeClient,
  type RealtimeClientOptions,
  type ResetInfo,
} from './realtime-client.js';

// The SDK against a real gateway (the gateway package is a devDependency: it never depends on this
// one), in Node with the fetch transport; the gateway's demo.browser.test.ts covers a page.
const clients: RealtimeClient[] = [];
const gateways: EmbeddedGateway[] = [];

/** The gateway as a user runs it, on memory, without its demo, on port 0; closed after the test. */
async function startGateway(options: Partial<GatewayOptions> = {}): Promise<EmbeddedGateway> {
  const gw = await startEmbeddedGateway({
    demo: false,
    handleSignals: false,
    gateway: { drainSpreadMs: 0, service: { logLevel: 'warn' }, ...options },
  });
  gateways.push(gw);
  return gw;
}

/**
 * A client of `gw` as user u1 of tenant t1 that reconnects within 100 ms, closed after the test;
 * `got` collects the `n` of each `n` event it delivers.
 */
function connect(gw: EmbeddedGateway, options: Partial<RealtimeClientOptions> = {}) {
  const got: number[] = [];
  const client = createRealtimeClient({
    url: gw.url,
    getToken: () => gw.users.mint({ userId: 'u1', tenantId: 't1' }),
    backoff: { initialMs: 20, maxMs: 100 },
    ...options,
  });
  clients.push(client);
  client.on<{ n: number }>('n', (event) => got.push(event.data.n));
  return { client, got };
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const gw of gateways.splice(0)) await gw.close();
});

describe('@interlink/realtime-client with the gateway', () => {
  it('reconnects after the connection drops and resumes without gaps or duplicates', async () => {
    const gw = await startGateway();
    const { client, got } = connect(gw);
    await waitFor(() => client.status === 'open', 'open');
    const publish = (n: number) =>
      gw.events.publish({ subject: 'events.t1.u1', type: 'n', data: JSON.stringify({ n }) });
    await publish(1);
    await waitFor(() => got.length === 1, 'first event');
    // Drop every connection server-side, publish while the client is away, then let it back in.
    gw.gateway.app.server.closeAllConnections();
    await publish(2);
    await publish(3);
    await waitFor(() => got.length === 3, 'missed events');
    await publish(4);
    await waitFor(() => got.length === 4, 'live event');
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('reconnects with a fresh token on token-expiring, and surfaces reset to the app', async () => {
    const gw = await startGateway({ tokenExpiringLeadMs: 1500 });
    let tokens = 0;
    const resets: ResetInfo[] = [];
    const { client, got } = connect(gw, {
      lastEventId: 'from-another-stream:7',
      getToken: () => {
        tokens++;
        return gw.users.mint({ userId: 'u1', tenantId: 't1', ttlSeconds: 2 });
      },
      onReset: (info) => resets.push(info),
    });
    await waitFor(() => resets.length === 1, 'reset');
    expect(resets[0]).toEqual({ reason: 'epoch', lastEventId: 'from-another-stream:7' });
    await waitFor(() => tokens >= 2, 'a reconnect with a new token');
    await gw.events.publish({ subject: 'events.t1', type: 'n', data: '{"n":1}' });
    await waitFor(() => got.length === 1, 'an event after the token refresh');
    await waitFor(() => client.status === 'open', 'open again');
  });
});
