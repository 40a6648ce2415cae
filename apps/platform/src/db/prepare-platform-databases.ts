import { migrateServiceDatabase } from './migrate-service-database.js';
import {
  type ProvisionOptions,
  provisionServiceDatabases,
  type ServiceDatabase,
} from './provision-service-databases.js';
import { seedDemoData } from './seed-demo-data.js';
import { DATA_SERVICES, type DataService } from './service-names.js';

export interface PreparePlatformDatabasesOptions extends ProvisionOptions {
  /** Superuser (or schema- and role-creating) URL: the embedded server's, or `DATABASE_URL`. */
  adminUrl: string;
  /** Fixed role passwords, e.g. from the environment; others are generated. */
  passwords?: Partial<Record<DataService, string>>;
  /** Write the demo rows (`npm start`); leave off in production. */
  demoData?: boolean;
  log?: (message: string) => void;
}

/**
 * Everything the five data services need before they start: a schema and role each, their
 * migrations applied as that role, and optionally the demo rows. Returns each service's own URL.
 */
export async function preparePlatformDatabases(
  options: PreparePlatformDatabasesOptions,
): Promise<Record<DataService, ServiceDatabase>> {
  const specs = DATA_SERVICES.map((name) => {
    const password = options.passwords?.[name];
    return password === undefined ? { name } : { name, password };
  });
  const provisioned = await provisionServiceDatabases(options.adminUrl, specs, options);
  const databases = provisioned as Record<DataService, ServiceDatabase>;
  await Promise.all(
    DATA_SERVICES.map((service) =>
      migrateServiceDatabase(databases[service], options.log ? { log: options.log } : {}),
    ),
  );
  if (options.demoData) await seedDemoData(databases);
  return databases;
}
