import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DatabaseError } from './database-error-codes.js';

export interface ServiceDatabaseSpec {
  /** Service name (`ticket`); becomes schema `ticket` and role `ticket_svc`. */
  name: string;
  /** The role's password. Default: a new random one on every run (the returned URL carries it). */
  password?: string;
}

export interface ProvisionOptions {
  /**
   * Appended to every schema and role name (`ticket_x1` / `ticket_x1_svc`), so that tests sharing
   * one server cannot collide. Default: none.
   */
  suffix?: string;
  /**
   * Revoke `PUBLIC`'s rights on schema `public`, so no role reads or creates anything there. On by
   * default; turn it off only on a database that other applications share.
   */
  lockPublicSchema?: boolean;
}

/** Where one service's data lives and how it connects. */
export interface ServiceDatabase {
  service: string;
  schema: string;
  role: string;
  /** The admin URL with this role's credentials: the only URL the service is given. */
  url: string;
}

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** The login role of a service's schema: `ticket_svc`, or `ticket_x1_svc` with suffix `x1`. */
export function serviceRoleName(service: string, suffix?: string): string {
  return `${service}${suffix ? `_${suffix}` : ''}_svc`;
}

/**
 * Creates (or brings back in line) one schema and one login role per service: the role owns its
 * schema, is never superuser, cannot create roles or databases, bypass row security or replicate,
 * and holds no right on any other service's schema or on `public`. Safe to run again: roles are
 * altered, schemas kept, and their data left alone.
 */
export async function provisionServiceDatabases(
  adminUrl: string,
  services: readonly (string | ServiceDatabaseSpec)[],
  options: ProvisionOptions = {},
): Promise<Record<string, ServiceDatabase>> {
  const suffix = options.suffix ? `_${options.suffix}` : '';
  const specs = services.map((s) => (typeof s === 'string' ? { name: s } : s));
  for (const { name } of specs) {
    if (!NAME.test(name) || !NAME.test(serviceRoleName(name, options.suffix))) {
      throw new DatabaseError('ERR_DB_SERVICE_NAME', `"${name}${suffix}" is not a valid schema name`);
    }
  }
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  try {
    const id = (s: string) => admin.escapeIdentifier(s);
    const result: Record<string, ServiceDatabase> = {};
    await admin.query('BEGIN');
    // Role and schema creation from two processes at once would otherwise race on the catalogs.
    await admin.query("SELECT pg_advisory_xact_lock(hashtext('interlink.provisionServiceDatabases'))");
    if (options.lockPublicSchema ?? true) await admin.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    for (const spec of specs) {
      const schema = `${spec.name}${suffix}`;
      const role = serviceRoleName(spec.name, options.suffix);
      const password = spec.password ?? randomBytes(24).toString('base64url');
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS PASSWORD ${admin.escapeLiteral(password)}`;
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      await admin.query(`${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${id(role)} WITH ${attributes}`);
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${id(schema)} AUTHORIZATION ${id(role)}`);
      await admin.query(`ALTER SCHEMA ${id(schema)} OWNER TO ${id(role)}`);
      await admin.query(`ALTER ROLE ${id(role)} SET search_path TO ${id(schema)}`);
      await admin.query(`REVOKE ALL ON SCHEMA public FROM ${id(role)}`);
      const url = new URL(adminUrl);
      url.username = encodeURIComponent(role);
      url.password = encodeURIComponent(password);
      result[spec.name] = { service: spec.name, schema, role, url: url.toString() };
    }
    // Undo any right a mistake (or an older version) granted one service on another's schema.
    for (const caller of Object.values(result)) {
      for (const owner of Object.values(result)) {
        if (owner === caller) continue;
        await admin.query(`REVOKE ALL ON SCHEMA ${id(owner.schema)} FROM ${id(caller.role)}`);
        await admin.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${id(owner.schema)} FROM ${id(caller.role)}`);
        await admin.query(
          `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${id(owner.schema)} FROM ${id(caller.role)}`,
        );
      }
    }
    await admin.query('COMMIT');
    return result;
  } catch (error) {
    await admin.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await admin.end();
  }
}
