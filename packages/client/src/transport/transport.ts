import type { ConnectionOptions } from 'node:tls';
import type { Dispatcher } from 'undici';
import { Pool } from 'undici';

/** How connections to an upstream are made and kept. */
export interface TransportOptions {
  /** Most sockets per origin; 128 by default. */
  connections?: number;
  /** Requests in flight per socket; 1 (no HTTP/1.1 pipelining) by default, since pipelining head-of-line blocks. */
  pipelining?: number;
  /** How long an idle keep-alive socket stays open; 4 s by default (below Node's server default of 5 s). */
  keepAliveTimeoutMs?: number;
  /** TCP + TLS connect timeout per socket; 2 s by default. undici sets it per pool, not per request. */
  connectTimeoutMs?: number;
  /** Default time to wait for response headers; 10 s. Calls may lower it. */
  headersTimeoutMs?: number;
  /** Default longest pause between body chunks; 10 s. Calls may lower it. */
  bodyTimeoutMs?: number;
  /** Extra TLS options (for example `ca` for a private CA). TLS 1.2 is the floor and certificates are always verified. */
  tls?: Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'servername'>;
}

/** One keep-alive connection pool per upstream origin, shared by every client that is given it. */
export interface Transport {
  /** The pool for `origin` (`https://host:port`), created on first use. */
  pool(origin: string): Dispatcher;
  readonly defaults: { headersTimeoutMs: number; bodyTimeoutMs: number };
  /** Closes every pool, letting in-flight requests finish. */
  close(): Promise<void>;
  /** Destroys every pool, failing in-flight requests. */
  destroy(): Promise<void>;
}

/** Creates a transport over undici `Pool`s: keep-alive, no pipelining, bounded timeouts. */
export function createTransport(options: TransportOptions = {}): Transport {
  const pools = new Map<string, Pool>();
  const defaults = {
    headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000,
  };
  let closed = false;
  return {
    defaults,
    pool(origin) {
      let pool = pools.get(origin);
      if (!pool) {
        if (closed) throw new Error('The transport is closed');
        pool = new Pool(origin, {
          connections: options.connections ?? 128,
          pipelining: options.pipelining ?? 1,
          keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
          headersTimeout: defaults.headersTimeoutMs,
          bodyTimeout: defaults.bodyTimeoutMs,
          connect: {
            timeout: options.connectTimeoutMs ?? 2_000,
            // Not configurable downward: older TLS versions are refused and certificates verified.
            minVersion: 'TLSv1.2',
            rejectUnauthorized: true,
            ...options.tls,
          },
        });
        pools.set(origin, pool);
      }
      return pool;
    },
    async close() {
      closed = true;
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
    async destroy() {
      closed = true;
      await Promise.all([...pools.values()].map((p) => p.destroy()));
      pools.clear();
    },
  };
}
