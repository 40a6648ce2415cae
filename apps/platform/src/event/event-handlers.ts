import type { ContractHandlers, eventServiceContract } from '@interlink/contracts';
import { CoreError } from '@interlink/core';
import type pg from 'pg';
import { tenantOf } from '../service/create-platform-service.js';

/** event-service's handler: one event of the signed tenant with its blockchain fields. */
export function eventHandlers(pool: pg.Pool): ContractHandlers<typeof eventServiceContract.routes> {
  return {
    async getEvent(request) {
      const { rows } = await pool.query('SELECT * FROM events WHERE tenant_id = $1 AND id = $2', [
        tenantOf(request),
        request.params.id,
      ]);
      const row = rows[0];
      if (!row) throw new CoreError('ERR_NOT_FOUND', 'No such event');
      // An absent field is left out, never null (the contract's rule); numeric columns come back as text.
      return {
        id: row.id,
        name: row.name,
        venueId: row.venue_id,
        startDate: (row.start_date as Date).toISOString(),
        ...(row.event_pda ? { eventPda: row.event_pda } : {}),
        ...(row.artist_wallet ? { artistWallet: row.artist_wallet } : {}),
        ...(row.artist_percentage !== null ? { artistPercentage: Number(row.artist_percentage) } : {}),
        ...(row.venue_percentage !== null ? { venuePercentage: Number(row.venue_percentage) } : {}),
        resaleable: row.resaleable,
      };
    },
  };
}
