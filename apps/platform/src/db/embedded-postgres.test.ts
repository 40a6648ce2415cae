import { stat } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from './embedded-postgres.js';
import { migrateServiceDatabase } from './migrate-service-database.js';
import { provisionServiceDatabases, type ServiceDatabase } from './provision-service-databases.js';

// One server for the file: starting one runs initdb, the slow part.
let server: EmbeddedPostgresServer;
let dbs: Record<string, ServiceDatabase>;

beforeAll(async () => {
  server = await startEmbeddedPostgres();
  dbs = await provisionServiceDatabases(server.url, ['ticket', 'auth']);
  await migrateServiceDatabase(dbs.ticket as ServiceDatabase);
});

afterAll(async () => {
  await server?.stop();
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client(url);
  await client.connect();
  return client;
}

describe('startEmbeddedPostgres', () => {
  it('serves a real PostgreSQL on 127.0.0.1 with the superuser URL it returns', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const client = await connect(server.url);
    const { rows } = await client.query('SHOW server_version_num');
    await client.end();
    expect(Number(rows[0].server_version_num)).toBeGreaterThanOrEqual(180000);
  });

  it('enforces roles like the real server: auth_svc reading ticket.tickets gets 42501', async () => {
    const auth = await connect((dbs.auth as ServiceDatabase).url);
    const ticket = await connect((dbs.ticket as ServiceDatabase).url);
    try {
      await expect(auth.query('SELECT * FROM ticket.tickets')).rejects.toMatchObject({ code: '42501' });
      const { rows } = await ticket.query('SELECT count(*)::int AS n FROM tickets');
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await Promise.all([auth.end(), ticket.end()]);
    }
  });

  it('checks passwords (scram-sha-256): a role cannot log in with a wrong one', async () => {
    const wrong = new URL((dbs.auth as ServiceDatabase).url);
    wrong.password = 'not-the-password';
    await expect(connect(wrong.toString())).rejects.toMatchObject({ code: '28P01' });
  });

  it('stops: the port refuses connections and the temporary data directory is gone', async () => {
    const { dataDir } = server;
    await server.stop();
    await expect(connect(server.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(stat(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
    await server.stop();
  });
});
