import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of its own on a shared server, for one test file, with a suffix for role names. */
export interface ScratchDatabase {
  /** Superuser URL of the new database. */
  adminUrl: string;
  /** Random, for role and schema names that cannot collide with another test file's. */
  suffix: string;
  /** Drops the database and the given roles (roles are server-wide, so they outlive the database). */
  drop(roles: readonly string[]): Promise<void>;
}

/**
 * Creates a fresh database next to `serverUrl`'s, so that a test can lock down schema `public` and
 * provision roles without touching what other tests on the same server use.
 */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const suffix = randomBytes(4).toString('hex');
  const name = `interlink_db_${suffix}`;
  const server = new pg.Client(serverUrl);
  await server.connect();
  await server.query(`CREATE DATABASE ${server.escapeIdentifier(name)}`);
  await server.end();
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = `/${name}`;
  return {
    adminUrl: adminUrl.toString(),
    suffix,
    drop: async (roles) => {
      const client = new pg.Client(serverUrl);
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
        for (const role of roles) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
      } finally {
        await client.end();
      }
    },
  };
}
