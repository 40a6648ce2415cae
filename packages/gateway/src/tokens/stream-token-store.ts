/** What a stream token grants: streaming as this user of this tenant until `expiresAt`. */
export interface StreamTokenRecord {
  userId: string;
  tenantId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Where stream tokens live, keyed by the SHA-256 of the token (the token itself is never stored). */
export interface StreamTokenStore {
  put(hash: string, record: StreamTokenRecord): Promise<void>;
  get(hash: string): Promise<StreamTokenRecord | undefined>;
  delete(hash: string): Promise<boolean>;
  close(): Promise<void>;
}
