import { defineErrorCodes, errorClassFor } from '@interlink/core';

/** The codes of the platform's database layer. Each is listed in `docs/errors.md`; a test checks it. */
export const databaseErrorCodes = defineErrorCodes(`
  ERR_DB_EMBEDDED_START  500 The embedded PostgreSQL could not start
  ERR_DB_SERVICE_NAME    500 Invalid service name for a schema and role
  ERR_DB_MIGRATION       500 A service migration failed
`);

export type DatabaseErrorCode = keyof typeof databaseErrorCodes;

/** The error class of the platform's database layer; status and title come from {@link databaseErrorCodes}. */
export class DatabaseError extends errorClassFor('DatabaseError', databaseErrorCodes) {}
