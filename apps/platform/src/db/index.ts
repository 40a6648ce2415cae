export { DatabaseError, type DatabaseErrorCode, databaseErrorCodes } from './database-error-codes.js';
export { DEMO } from './demo-ids.js';
export {
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
  startEmbeddedPostgres,
} from './embedded-postgres.js';
export { type MigrateOptions, migrateServiceDatabase, migrationsDirOf } from './migrate-service-database.js';
export {
  type PreparePlatformDatabasesOptions,
  preparePlatformDatabases,
} from './prepare-platform-databases.js';
export {
  type ProvisionOptions,
  provisionServiceDatabases,
  type ServiceDatabase,
  type ServiceDatabaseSpec,
} from './provision-service-databases.js';
export { seedDemoData } from './seed-demo-data.js';
export { DATA_SERVICES, type DataService } from './service-names.js';
