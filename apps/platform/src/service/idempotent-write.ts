import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { PlatformError } from './platform-error-codes.js';
import { withTransaction } from './with-transaction.js';

/** One write request as its Idempotency-Key names it. */
export interface IdempotencyScope {
  tenantId: string;
  /** The signed `Idempotency-Key` header; a request without one is not deduplicated. */
  key: string | undefined;
  operation: string;
  fingerprint: string;
}

/** The scope of a request: its key (covered by the RFC 9421 signature when sent) and a fingerprint. */
export function idempotencyScope(
  request: FastifyRequest,
  tenantId: string,
  operation: string,
): IdempotencyScope {
  const header = request.headers['idempotency-key'];
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([operation, request.params ?? null, request.body ?? null]))
    .digest('base64url');
  return { tenantId, key: typeof header === 'string' ? header : undefined, operation, fingerprint };
}

type Row = { operation: string; fingerprint: string; response: unknown };

function answerOf(row: Row, scope: IdempotencyScope): unknown {
  if (row.operation !== scope.operation || row.fingerprint !== scope.fingerprint) {
    throw new PlatformError(
      'ERR_IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used for another request',
    );
  }
  return row.response;
}

/** The stored answer of an earlier request with this key, or undefined when there is none yet. */
export async function replayedAnswer(pool: pg.Pool, scope: IdempotencyScope): Promise<unknown> {
  if (scope.key === undefined) return undefined;
  const { rows } = await pool.query<Row>(
    'SELECT operation, fingerprint, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND response IS NOT NULL',
    [scope.tenantId, scope.key],
  );
  return rows[0] ? answerOf(rows[0], scope) : undefined;
}

/**
 * Runs a write in one transaction and stores its answer under the key, in the same transaction.
 * The key's row is claimed first: a concurrent request with the same key waits for this one and
 * then answers what it stored. Refusals (thrown) are not stored: nothing changed, a retry re-checks.
 */
export function idempotentWrite<T>(
  pool: pg.Pool,
  scope: IdempotencyScope,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, async (client) => {
    if (scope.key === undefined) return work(client);
    const claimed = await client.query(
      `INSERT INTO idempotency_keys (tenant_id, key, operation, fingerprint) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [scope.tenantId, scope.key, scope.operation, scope.fingerprint],
    );
    if (claimed.rowCount === 0) {
      const { rows } = await client.query<Row>(
        'SELECT operation, fingerprint, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2',
        [scope.tenantId, scope.key],
      );
      return answerOf(rows[0]!, scope) as T;
    }
    const answer = await work(client);
    await client.query('UPDATE idempotency_keys SET response = $3 WHERE tenant_id = $1 AND key = $2', [
      scope.tenantId,
      scope.key,
      JSON.stringify(answer),
    ]);
    return answer;
  });
}
