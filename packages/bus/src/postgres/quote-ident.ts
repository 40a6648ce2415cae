import { BusError } from '../errors/bus-error-codes.js';

/**
 * Quotes an SQL identifier (a schema name chosen by the deployment or a test). Only plain names
 * are accepted, so a configured schema can never inject SQL.
 */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new BusError(
      'ERR_BUS_INVALID_OPTIONS',
      'A schema name must be letters, digits and "_" (at most 63)',
    );
  }
  return `"${name}"`;
}
