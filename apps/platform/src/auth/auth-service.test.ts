import { randomUUID } from 'node:crypto';
import { authServiceContract } from '@interlink/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../db/demo-ids.js';
import { itRefusesBadPathIds, refusal, useTestPlatform } from '../platform/test-platform.test.helper.js';

const { tenants: T, users: U } = DEMO;
const acme = { tenantId: T.acme };
const globex = { tenantId: T.globex };

const platform = useTestPlatform();
const auth = (caller: string) => platform.client(caller, 'auth', authServiceContract);

/** A signed POST built by hand, for bodies the typed client refuses to send. */
const post = (path: string, body: unknown) =>
  platform.raw('auth', { caller: 'gateway', method: 'POST', path, body, ...acme });

describe('auth-service: every endpoint answers its contract (checked by the typed client)', () => {
  it('POST /validate-permissions says what is granted and what is missing', async () => {
    const answer = await auth('gateway').validatePermissions(
      { body: { userId: U.acmeAdmin, permissions: ['users:read', 'compliance:review'] } },
      acme,
    );
    expect(answer).toEqual({
      userId: U.acmeAdmin,
      valid: false,
      granted: ['users:read'],
      missing: ['compliance:review'],
    });
  });

  it('POST /validate-users tells active users of the tenant from the others', async () => {
    const unknown = randomUUID();
    const answer = await auth('gateway').validateUsers(
      { body: { userIds: [U.acmeBuyer, U.globexBuyer, unknown] } },
      acme,
    );
    expect(answer).toEqual({ valid: false, validIds: [U.acmeBuyer], invalidIds: [U.globexBuyer, unknown] });
  });

  it('GET /user-tenant/:userId', async () => {
    expect(await auth('gateway').getUserTenant({ params: { userId: U.acmeAdmin } }, acme)).toEqual({
      userId: U.acmeAdmin,
      tenantId: T.acme,
      tenantName: 'Acme Events',
      roles: ['admin'],
    });
  });

  it('GET /internal/users/:userId', async () => {
    expect(await auth('payment-service').getUser({ params: { userId: U.acmeBuyer } }, acme)).toEqual({
      id: U.acmeBuyer,
      email: 'bob@acme.test',
      name: 'Bob Buyer',
      tenantId: T.acme,
      role: 'customer',
      emailVerified: true,
      billingAddress: { line1: '1 Main St', city: 'Springfield', country: 'US' },
      status: 'active',
    });
  });

  it('GET /internal/users/by-email/:email finds a user of the tenant, case-insensitively', async () => {
    const answer = await auth('transfer-service').getUserByEmail(
      { params: { email: 'Dave@Acme.test' } },
      acme,
    );
    expect(answer).toEqual({
      found: true,
      id: U.acmeFriend,
      email: 'dave@acme.test',
      tenantId: T.acme,
      status: 'active',
      emailVerified: false,
    });
  });

  it('GET /internal/users/admins lists the holders of the asked roles', async () => {
    const answer = await auth('compliance-service').getAdmins(
      { query: { roles: 'admin,compliance_admin' } },
      acme,
    );
    expect(answer).toEqual({
      users: [
        { id: U.acmeAdmin, email: 'alice@acme.test', name: 'Alice Admin', role: 'admin' },
        {
          id: U.acmeCompliance,
          email: 'carol@acme.test',
          name: 'Carol Compliance',
          role: 'compliance_admin',
        },
      ],
      count: 2,
    });
    const adminsOnly = await auth('compliance-service').getAdmins({}, acme);
    expect(adminsOnly.users.map((u) => u.id)).toEqual([U.acmeAdmin]);
  });
});

describe('auth-service: refusals', () => {
  it('validate-users with 101 ids is a 400', async () => {
    const answer = await post('/validate-users', {
      userIds: Array.from({ length: 101 }, () => randomUUID()),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('ERR_VALIDATION');
  });

  it('validate-users with 100 ids is answered', async () => {
    const ids = [U.acmeBuyer, ...Array.from({ length: 99 }, () => randomUUID())];
    const answer = await post('/validate-users', { userIds: ids });
    expect(answer.status).toBe(200);
    expect(answer.body.validIds).toEqual([U.acmeBuyer]);
  });

  it('validate-users with duplicate ids is a 400', async () => {
    const answer = await post('/validate-users', { userIds: [U.acmeBuyer, U.acmeBuyer] });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('ERR_VALIDATION');
  });

  it('validate-users with an empty list is a 400', async () => {
    const answer = await post('/validate-users', { userIds: [] });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('ERR_VALIDATION');
  });

  itRefusesBadPathIds(platform, 'auth', 'payment-service', [
    ['not a UUID', '/internal/users/bob'],
    ['an encoded slash', '/internal/users/..%2fadmins'],
    ['UUID-shaped with dots', `/internal/users/..${U.acmeBuyer.slice(2)}`],
  ]);

  it('an e-mail with an encoded slash is a 400, not another route', async () => {
    const answer = await platform.raw('auth', {
      caller: 'transfer-service',
      method: 'GET',
      path: '/internal/users/by-email/bob%2f..%2f@acme.test',
      ...acme,
    });
    expect(answer.status).toBe(400);
  });

  it('an unknown user is a 404 problem', async () => {
    const problem = await refusal(
      auth('payment-service').getUser({ params: { userId: randomUUID() } }, acme),
    );
    expect(problem).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
  });

  it('a service the permission map does not list is a 403; a listed one outside its grants too', async () => {
    expect(
      await refusal(auth('minting-service').getUser({ params: { userId: U.acmeBuyer } }, acme)),
    ).toMatchObject({
      status: 403,
      code: 'ERR_SERVICE_NOT_ALLOWED',
    });
    // ticket-service may validate users (transfers) but not read them.
    expect(
      await refusal(auth('ticket-service').getUser({ params: { userId: U.acmeBuyer } }, acme)),
    ).toMatchObject({
      status: 403,
      code: 'ERR_PERMISSION_DENIED',
    });
  });

  it('an unsigned request is a 401', async () => {
    const answer = await platform.raw('auth', {
      method: 'POST',
      path: '/validate-users',
      body: { userIds: [U.acmeBuyer] },
      ...acme,
    });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('ERR_SIGNATURE_MISSING');
  });

  it('a replayed request is a 401', async () => {
    const first = await post('/validate-users', { userIds: [U.acmeBuyer] });
    expect(first.status).toBe(200);
    const replay = await platform.raw('auth', {
      method: 'POST',
      path: '/validate-users',
      body: { userIds: [U.acmeBuyer] },
      reuseSignature: first.signature,
      ...acme,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('ERR_NONCE_REPLAYED');
  });

  it('a body over the limit is a 413 and malformed JSON a 400', async () => {
    const big = await post('/validate-permissions', {
      userId: U.acmeBuyer,
      permissions: ['a:b'],
      pad: 'x'.repeat(70_000),
    });
    expect(big.status).toBe(413);
    const malformed = await post('/validate-users', '{"userIds":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('ERR_MALFORMED_BODY');
  });
});

describe('auth-service: tenant isolation', () => {
  it("a caller of one tenant never sees another tenant's users", async () => {
    const problems = await Promise.all(
      [
        auth('payment-service').getUser({ params: { userId: U.acmeBuyer } }, globex),
        auth('gateway').getUserTenant({ params: { userId: U.acmeBuyer } }, globex),
      ].map(refusal),
    );
    for (const problem of problems) expect(problem).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
    expect(
      await auth('transfer-service').getUserByEmail({ params: { email: 'bob@acme.test' } }, globex),
    ).toEqual({ found: false });
    const admins = await auth('compliance-service').getAdmins(
      { query: { roles: 'admin,compliance_admin' } },
      globex,
    );
    expect(admins.users.map((u) => u.id)).toEqual([U.globexAdmin]);
    const permissions = await auth('gateway').validatePermissions(
      { body: { userId: U.acmeAdmin, permissions: ['users:read'] } },
      globex,
    );
    expect(permissions).toMatchObject({ valid: false, granted: [] });
  });
});
