import { type ErrorCodeTable, errorClassFor } from '@interlink/core';

/** The codes of the platform's database layer. Each is listed in `docs/errors.md`; a test checks it. */
export const databaseErrorCodes = {
  ERR_DB_EMBEDDED_START: { status: 500, title: 'The embedded PostgreSQL could not start' },
  ERR_DB_SERVICE_NAME: { status: 500, title: 'Invalid service name for a schema and role' },
  ERR_DB_MIGRATION: { status: 500, title: 'A service migration failed' },
} as const satisfies ErrorCodeTable;

export type DatabaseErrorCode = keyof typeof databaseErrorCodes;

/** The error class of the platform's database layer; status and title come from {@link databaseErrorCodes}. */
export const DatabaseError = errorClassFor('DatabaseError', databaseErrorCodes);
export type DatabaseError = InstanceType<typeof DatabaseError>;
