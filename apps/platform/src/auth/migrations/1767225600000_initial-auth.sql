-- Up Migration
-- auth-service's state (seed 004 §2): tenants, users, roles, their permissions and who holds them.
-- Names are unqualified: the runner sets search_path to this service's schema.
CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  email text NOT NULL,
  name text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
  email_verified boolean NOT NULL DEFAULT false,
  billing_address jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- GET /internal/users/by-email/:email looks a user up by email inside the caller's tenant.
CREATE UNIQUE INDEX users_tenant_email_key ON users (tenant_id, lower(email));

CREATE TABLE roles (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  name text NOT NULL,
  description text,
  UNIQUE (tenant_id, name)
);

CREATE TABLE role_permissions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  role_id uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission text NOT NULL,
  PRIMARY KEY (role_id, permission)
);

-- venue_id scopes a role to one venue (rbac getUserVenueRoles); NULL means tenant-wide.
CREATE TABLE user_roles (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  venue_id uuid,
  granted_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (user_id, role_id, venue_id)
);
-- GET /internal/users/admins lists a tenant's holders of given roles.
CREATE INDEX user_roles_tenant_role_idx ON user_roles (tenant_id, role_id);

-- Down Migration
DROP TABLE user_roles;
DROP TABLE role_permissions;
DROP TABLE roles;
DROP TABLE users;
DROP TABLE tenants;
