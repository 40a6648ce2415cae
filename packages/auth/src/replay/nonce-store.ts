/**
 * Remembers single-use values (signature nonces, legacy nonces) for a while. `claim` is atomic:
 * of any number of concurrent claims of one key, across every process sharing the store, exactly
 * one gets `true` until the key expires.
 */
export interface NonceStore {
  /**
   * Records `key` for `ttlMs` milliseconds; false when it is already recorded.
   * @throws AuthError `ERR_NONCE_STORE_UNAVAILABLE` / `ERR_NONCE_STORE_FULL`: the caller refuses the request
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
}
