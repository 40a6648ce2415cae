/** What a stream token grants: streaming as this user of this tenant until `expiresAt`. */
export interface StreamTokenRecord {
  userId: string;
  tenantId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** One open stream and the (hashed) token it was opened with. */
export interface StreamTokenClaim {
  hash: string;
  streamId: string;
}

/** The result of {@link StreamTokenStore.claim}: refused when the token is gone (revoked or expired). */
export type StreamTokenClaimResult = { claimed: false } | { claimed: true; replaced?: string };

/** Where stream tokens live, keyed by the SHA-256 of the token (the token itself is never stored). */
export interface StreamTokenStore {
  put(hash: string, record: StreamTokenRecord): Promise<void>;
  get(hash: string): Promise<StreamTokenRecord | undefined>;
  /** Removes the token and its stream claim. */
  delete(hash: string): Promise<boolean>;
  /**
   * Makes `streamId` the one stream of this token, atomically, for as long as the token lives;
   * resolves with the stream it replaces, which the gateway then ends.
   */
  claim(hash: string, streamId: string): Promise<StreamTokenClaimResult>;
  /** The ids of those streams that no longer hold their token: replaced by a newer one, or revoked. */
  superseded(claims: readonly StreamTokenClaim[]): Promise<string[]>;
  close(): Promise<void>;
}
