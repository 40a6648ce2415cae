import { randomUUID } from 'node:crypto';
import { eventServiceContract } from '@interlink/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../db/demo-ids.js';
import { itRefusesBadPathIds, refusal, useTestPlatform } from '../platform/test-platform.test.helper.js';

const { tenants: T, events: E, venues: V } = DEMO;
const acme = { tenantId: T.acme };

const platform = useTestPlatform();
const events = (caller: string) => platform.client(caller, 'event', eventServiceContract);

describe('event-service', () => {
  it('GET /internal/events/:id answers the blockchain fields minting needs', async () => {
    const answer = await events('minting-service').getEvent({ params: { id: E.acmeRock } }, acme);
    expect(answer).toMatchObject({
      id: E.acmeRock,
      name: 'Acme Rock Night',
      venueId: V.acmeArena,
      eventPda: 'RockNightPda1111111111111111111111111111111',
      artistWallet: 'ArtistWa11et111111111111111111111111111111',
      artistPercentage: 10,
      venuePercentage: 5,
      resaleable: true,
    });
    // Fields an event lacks are left out, never null.
    const jazz = await events('payment-service').getEvent({ params: { id: E.acmeJazz } }, acme);
    expect(jazz).not.toHaveProperty('eventPda');
  });

  itRefusesBadPathIds(platform, 'event', 'minting-service', [
    ['not a UUID', '/internal/events/rock-night'],
    ['an encoded slash', '/internal/events/..%2f..%2fadmin'],
    ['UUID-shaped with dots', `/internal/events/..${E.acmeRock.slice(2)}`],
  ]);

  it('unknown ids and other tenants read as 404; unlisted callers 403; unsigned 401', async () => {
    const [unknown, otherTenant, forbidden] = await Promise.all(
      [
        events('minting-service').getEvent({ params: { id: randomUUID() } }, acme),
        events('minting-service').getEvent({ params: { id: E.acmeRock } }, { tenantId: T.globex }),
        events('transfer-service').getEvent({ params: { id: E.acmeRock } }, acme),
      ].map(refusal),
    );
    expect(unknown).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
    expect(otherTenant).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
    expect(forbidden).toMatchObject({ status: 403, code: 'ERR_SERVICE_NOT_ALLOWED' });
    const unsigned = await platform.raw('event', {
      method: 'GET',
      path: `/internal/events/${E.acmeRock}`,
      ...acme,
    });
    expect(unsigned.status).toBe(401);
  });
});
