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
}
