import { defineRoute, failClosed } from '@interlink/client';
import { type Static, Type } from '@sinclair/typebox';
import { EmailAddress, StringEnum, Text } from './schemas/scalars.js';
import { Uuid } from './schemas/uuid.js';
import { defineServiceContract } from './service-contract.js';

// Seed 004 §2: auth-service's three existing routes (unprefixed, as the seed serves them) and the
// three new ones. The tenant of every answer is the verified caller's, never a parameter: seed 004's
// `?tenantId=` on admins is dropped for that reason.

/** A permission in seed 001's `resource:action` style; `*` is a wildcard. */
export const Permission = Type.String({ pattern: '^[a-z][a-z0-9_-]*:([a-z0-9_-]+|\\*)$', maxLength: 100 });

/** A role name (`admin`, `compliance_admin`). */
export const RoleName = Type.String({ pattern: '^[a-z][a-z0-9_]*$', minLength: 1, maxLength: 50 });

export const UserStatus = StringEnum(['active', 'pending', 'suspended', 'deleted'], { title: 'UserStatus' });

export const ValidatePermissionsBody = Type.Object(
  {
    userId: Uuid(),
    permissions: Type.Array(Permission, { minItems: 1, maxItems: 50, uniqueItems: true }),
    /** Venue-scoped roles count when given (rbac `checkPermission(..., venueId)`). */
    venueId: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);

export const ValidatePermissionsResponse = Type.Object({
  userId: Uuid(),
  /** True only when every asked permission is granted. */
  valid: Type.Boolean(),
  granted: Type.Array(Permission),
  missing: Type.Array(Permission),
});
export type ValidatePermissionsResponse = Static<typeof ValidatePermissionsResponse>;

export const ValidateUsersBody = Type.Object(
  { userIds: Type.Array(Uuid(), { minItems: 1, maxItems: 100, uniqueItems: true }) },
  { additionalProperties: false },
);

export const ValidateUsersResponse = Type.Object({
  /** True when every id is an active user of the caller's tenant. */
  valid: Type.Boolean(),
  validIds: Type.Array(Uuid()),
  /** Unknown, inactive, or of another tenant: not told apart. */
  invalidIds: Type.Array(Uuid()),
});
export type ValidateUsersResponse = Static<typeof ValidateUsersResponse>;

export const UserTenantResponse = Type.Object({
  userId: Uuid(),
  tenantId: Uuid(),
  tenantName: Text(200),
  roles: Type.Array(RoleName),
});
export type UserTenantResponse = Static<typeof UserTenantResponse>;

export const BillingAddress = Type.Object({
  line1: Type.Optional(Text(200)),
  line2: Type.Optional(Text(200)),
  city: Type.Optional(Text(100)),
  state: Type.Optional(Text(100)),
  postalCode: Type.Optional(Text(20)),
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', minLength: 2, maxLength: 2 })),
});

export const InternalUserResponse = Type.Object({
  id: Uuid(),
  email: EmailAddress(),
  name: Type.Optional(Text(200)),
  tenantId: Uuid(),
  role: RoleName,
  emailVerified: Type.Boolean(),
  billingAddress: Type.Optional(BillingAddress),
  status: UserStatus,
});
export type InternalUserResponse = Static<typeof InternalUserResponse>;

/** Seed 004 §2.4.2 answers a user or `{ found: false }`; the found branch says `found: true` so callers can tell. */
export const UserByEmailResponse = Type.Union([
  Type.Object({
    found: Type.Literal(true),
    id: Uuid(),
    email: EmailAddress(),
    tenantId: Uuid(),
    status: UserStatus,
    emailVerified: Type.Boolean(),
  }),
  Type.Object({ found: Type.Literal(false) }),
]);
export type UserByEmailResponse = Static<typeof UserByEmailResponse>;

export const AdminsQuery = Type.Object(
  {
    /** Comma-separated role names, at most ten; `admin` when absent (seed: `roles=admin,compliance_admin`). */
    roles: Type.Optional(
      Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}(,[a-z][a-z0-9_]{0,49}){0,9}$', maxLength: 509 }),
    ),
  },
  { additionalProperties: false },
);

export const AdminsResponse = Type.Object({
  users: Type.Array(Type.Object({ id: Uuid(), email: EmailAddress(), name: Text(200), role: RoleName })),
  count: Type.Integer({ minimum: 0 }),
});
export type AdminsResponse = Static<typeof AdminsResponse>;

const UserIdParams = Type.Object({ userId: Uuid() });

/** auth-service's internal API, version 1 (seed 004 §2). */
export const authServiceContract = defineServiceContract({
  service: 'auth-service',
  version: '1',
  title: 'auth-service internal API',
  routes: {
    /** A security decision: fail closed. */
    validatePermissions: defineRoute({
      method: 'POST',
      path: '/validate-permissions',
      body: ValidatePermissionsBody,
      response: ValidatePermissionsResponse,
      failure: failClosed(),
    }),
    validateUsers: defineRoute({
      method: 'POST',
      path: '/validate-users',
      body: ValidateUsersBody,
      response: ValidateUsersResponse,
      failure: failClosed(),
    }),
    getUserTenant: defineRoute({
      method: 'GET',
      path: '/user-tenant/:userId',
      params: UserIdParams,
      response: UserTenantResponse,
      failure: failClosed(),
    }),
    /** Declared before `/:userId` would not matter: Fastify prefers static segments. */
    getAdmins: defineRoute({
      method: 'GET',
      path: '/internal/users/admins',
      query: AdminsQuery,
      response: AdminsResponse,
    }),
    getUserByEmail: defineRoute({
      method: 'GET',
      path: '/internal/users/by-email/:email',
      params: Type.Object({ email: EmailAddress() }),
      response: UserByEmailResponse,
      failure: failClosed(),
    }),
    getUser: defineRoute({
      method: 'GET',
      path: '/internal/users/:userId',
      params: UserIdParams,
      response: InternalUserResponse,
      failure: failClosed(),
    }),
  },
  docs: {
    validatePermissions: {
      summary: 'Whether a user of the caller’s tenant holds every asked permission',
      permission: 'permissions:check',
      consumers: [],
    },
    validateUsers: {
      summary: 'Which of up to 100 unique user ids are active users of the caller’s tenant',
      permission: 'users:validate',
      consumers: [],
    },
    getUserTenant: {
      summary: 'A user’s tenant and roles',
      permission: 'users:read',
      consumers: [],
      problems: [404],
    },
    getAdmins: {
      summary: 'The tenant’s users with the given roles, for compliance notifications',
      permission: 'users:read',
      consumers: ['compliance-service'],
    },
    getUserByEmail: {
      summary: 'The user of the caller’s tenant with this e-mail, or `found: false`',
      permission: 'users:read',
      consumers: ['transfer-service'],
    },
    getUser: {
      summary: 'Basic information on a user of the caller’s tenant',
      permission: 'users:read',
      consumers: ['payment-service', 'compliance-service', 'transfer-service'],
      problems: [404],
    },
  },
});
