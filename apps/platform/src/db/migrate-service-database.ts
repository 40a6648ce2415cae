import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { DatabaseError } from './database-error-codes.js';
import type { ServiceDatabase } from './provision-service-databases.js';

export interface MigrateOptions {
  /** Folder of the service's SQL migrations. Default: `apps/platform/src/<service>/migrations`. */
  dir?: string;
  /** Receives the tool's progress lines. Default: dropped. */
  log?: (message: string) => void;
}

/** The SQL migrations of a service, found from `src/db` and from `dist/db` alike. */
export function migrationsDirOf(service: string): string {
  return fileURLToPath(new URL(`../../src/${service}/migrations`, import.meta.url));
}

/**
 * Applies a service's pending migrations with node-pg-migrate, connected as the service's own role
 * (so a migration can touch nothing outside its schema), with its history table `pgmigrations`
 * inside that schema. All pending migrations run in one transaction. Returns the names applied.
 */
export async function migrateServiceDatabase(
  db: ServiceDatabase,
  options: MigrateOptions = {},
): Promise<string[]> {
  const log = options.log ?? (() => undefined);
  try {
    const applied = await runner({
      databaseUrl: db.url,
      dir: options.dir ?? migrationsDirOf(db.service),
      schema: db.schema,
      migrationsSchema: db.schema,
      migrationsTable: 'pgmigrations',
      direction: 'up',
      count: Number.POSITIVE_INFINITY,
      checkOrder: true,
      singleTransaction: true,
      // One lock per schema: services migrate side by side, two copies of one service take turns.
      lockValue: lockValueOf(db.schema),
      advisoryLockMode: 'wait',
      logger: { debug: log, info: log, warn: log, error: log },
    });
    return applied.map((m) => m.name);
  } catch (error) {
    throw new DatabaseError('ERR_DB_MIGRATION', `migrations of ${db.service} (schema ${db.schema}) failed`, {
      cause: error,
    });
  }
}

function lockValueOf(schema: string): number {
  // 48 bits: a safe integer, and unlikely to meet another schema's (or node-pg-migrate's default) lock.
  return createHash('sha256').update(`interlink.migrate.${schema}`).digest().readUIntBE(0, 6);
}
