import { databaseUrl } from '@interlink/testing';
import { preparePlatformDatabases } from './prepare-platform-databases.js';
import { type ServiceDatabase, serviceRoleName } from './provision-service-databases.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';
import { DATA_SERVICES, type DataService } from './service-names.js';

/** The login roles the platform makes for its five data services under `scratch`'s suffix. */
export function platformRoles(scratch: ScratchDatabase): string[] {
  return DATA_SERVICES.map((service) => serviceRoleName(service, scratch.suffix));
}

/** The five data services prepared on a database of one test file's own. */
export interface PlatformScratch {
  scratch: ScratchDatabase;
  /** Each service's own URL (its suffixed role) into the scratch database. */
  databases: Record<DataService, ServiceDatabase>;
  /** Drops the database and the services' roles, and `moreRoles` the test provisioned beside them. */
  drop(moreRoles?: readonly string[]): Promise<void>;
}

/**
 * The five data services on a scratch database of the shared server (`DATABASE_URL`), as `npm start`
 * prepares them: suffixed schemas and roles, migrations applied, demo rows written.
 */
export async function preparePlatformScratch(): Promise<PlatformScratch> {
  const scratch = await createScratchDatabase(databaseUrl);
  const drop = (moreRoles: readonly string[] = []) => scratch.drop([...platformRoles(scratch), ...moreRoles]);
  try {
    const databases = await preparePlatformDatabases({
      adminUrl: scratch.adminUrl,
      suffix: scratch.suffix,
      demoData: true,
    });
    return { scratch, databases, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
