import { randomUUID } from 'node:crypto';
import { venueServiceContract } from '@interlink/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../db/demo-ids.js';
import { itRefusesBadPathIds, refusal, useTestPlatform } from '../platform/test-platform.test.helper.js';

const { tenants: T, venues: V, tickets: K, events: E } = DEMO;
const acme = { tenantId: T.acme };
const globex = { tenantId: T.globex };

const platform = useTestPlatform();
const venues = (caller: string) => platform.client(caller, 'venue', venueServiceContract);

describe('venue-service', () => {
  it('GET /internal/venues/:venueId', async () => {
    expect(await venues('blockchain-service').getVenue({ params: { venueId: V.acmeArena } }, acme)).toEqual({
      id: V.acmeArena,
      name: 'Acme Arena',
      tenantId: T.acme,
      walletAddress: '7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU',
      ownerEmail: 'alice@acme.test',
      status: 'active',
    });
  });

  it('validate-ticket asks ticket-service and event-service: valid, used, wrong venue', async () => {
    const gate = venues('gateway');
    expect(
      await gate.validateTicket({ params: { venueId: V.acmeArena, ticketId: K.acmeMinted } }, acme),
    ).toEqual({
      valid: true,
      venueId: V.acmeArena,
      ticketId: K.acmeMinted,
      eventId: E.acmeRock,
    });
    expect(
      await gate.validateTicket({ params: { venueId: V.acmeArena, ticketId: K.acmeUsed } }, acme),
    ).toMatchObject({ valid: false, reason: 'already_used' });
    const otherVenue = randomUUID();
    await platform.sql(
      'venue',
      `INSERT INTO venues (id, tenant_id, name, owner_user_id) VALUES ($1, $2, 'Side Stage', $3)`,
      [otherVenue, T.acme, DEMO.users.acmeAdmin],
    );
    expect(
      await gate.validateTicket({ params: { venueId: otherVenue, ticketId: K.acmeMinted } }, acme),
    ).toMatchObject({ valid: false, reason: 'wrong_venue' });
  });

  itRefusesBadPathIds(platform, 'venue', 'gateway', [
    ['not a UUID', `/internal/venues/arena/validate-ticket/${K.acmeMinted}`],
    ['an encoded slash', `/internal/venues/${V.acmeArena}/validate-ticket/..%2f${K.acmeMinted}`],
    ['UUID-shaped with dots', `/internal/venues/..${V.acmeArena.slice(2)}/validate-ticket/${K.acmeMinted}`],
  ]);

  it('unknown venues and tickets, and other tenants, are 404; unlisted callers 403', async () => {
    const gate = venues('gateway');
    const problems = await Promise.all(
      [
        venues('compliance-service').getVenue({ params: { venueId: randomUUID() } }, acme),
        venues('compliance-service').getVenue({ params: { venueId: V.acmeArena } }, globex),
        gate.validateTicket({ params: { venueId: V.acmeArena, ticketId: randomUUID() } }, acme),
        gate.validateTicket({ params: { venueId: V.globexHall, ticketId: K.acmeMinted } }, acme),
      ].map(refusal),
    );
    for (const problem of problems) expect(problem).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
    const forbidden = await refusal(
      venues('minting-service').getVenue({ params: { venueId: V.acmeArena } }, acme),
    );
    expect(forbidden).toMatchObject({ status: 403 });
  });
});
