import type { QueryResult, QueryResultRow } from 'pg';

/** A `pg` Pool, PoolClient or Client: whatever the caller's transaction runs on. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
