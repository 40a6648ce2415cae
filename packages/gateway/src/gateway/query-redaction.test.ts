import { randomBytes } from 'node:crypto';
import { createTestGateways, issueStreamToken } from '@interlink/testing/gateway';
import { afterAll, describe, expect, it } from 'vitest';

const gateways = createTestGateways();
afterAll(async () => {
  await gateways.close();
});

const fakeToken = () => `st_${randomBytes(32).toString('base64url')}`;

describe('secret query parameters in the logs of a running gateway', () => {
  it('are redacted however the name is written', async () => {
    const gw = await gateways.start();
    const jwt = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    // The gateway's query parser decodes the name, so `%74oken` opens a stream: it is a credential.
    const real = await issueStreamToken(gw.url, jwt);
    const stream = await gateways.open(`${gw.url}/events/stream?%74oken=${real}`);
    expect(stream.status).toBe(200);
    await stream.waitForEvents(1, 'connected');

    const secrets = Array.from({ length: 9 }, fakeToken);
    const queries = [
      `TOKEN=${secrets[0]}`,
      `To%6Ben=${secrets[1]}`,
      `%2574oken=${secrets[2]}`,
      `lastEventId=1&token=${secrets[3]}&token=${secrets[4]}`,
      `a=1;token=${secrets[5]}`,
      `token+=${secrets[6]}`,
      `%54%4F%4B%45%4E=${secrets[7]}`,
      `access%5Ftoken=${secrets[8]}`,
    ];
    for (const query of queries) await (await fetch(`${gw.url}/events/stream?${query}`)).arrayBuffer();
    await stream.waitFor(
      () => gw.logs.filter((line) => line.includes('"incoming request"')).length >= queries.length + 2,
      'the request lines',
    );
    const logs = gw.logs.join('');
    expect(logs).toContain('%74oken=[REDACTED]');
    for (const secret of [real, ...secrets]) expect(logs).not.toContain(secret.slice(3));
  });
});
