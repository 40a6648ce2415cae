import type { Keyring, NonceStore } from '@interlink/auth';
import type { MetricsEndpointOptions } from '@interlink/core';
import type pg from 'pg';

/** What every platform service is given to run: its own pool, the callers' keys, a nonce store. */
export interface PlatformRuntime {
  pool: pg.Pool;
  keyring: Keyring;
  nonceStore: NonceStore;
  production?: boolean;
  logLevel?: string;
  metrics?: MetricsEndpointOptions;
  shutdownTimeoutMs?: number;
  /**
   * The `host[:port]` (or list) callers sign requests to this service for (`SERVICE_AUTHORITY`).
   * Unset: signed requests are answered only on a loopback address, bound to the port they
   * arrived on (`@interlink/auth`'s plugin default); on any other address they are refused.
   */
  authority?: string | readonly string[];
}
