/** One open stream, as the limiter counts it. */
export interface ConnectionLease {
  connectionId: string;
  userId: string;
  tenantId: string;
}

export type AcquireResult = { ok: true } | { ok: false; limit: 'user' | 'tenant' };

/** Counts open streams per user and per tenant; the Redis one counts across all instances. */
export interface ConnectionLimiter {
  acquire(lease: ConnectionLease): Promise<AcquireResult>;
  release(lease: ConnectionLease): Promise<void>;
  /** Keeps leases alive; a crashed instance's leases expire instead of counting forever. */
  refresh(leases: readonly ConnectionLease[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectionLimits {
  perUser: number;
  perTenant: number;
}
