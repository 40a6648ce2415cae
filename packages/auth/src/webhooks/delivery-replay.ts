import { AuthError } from '../errors/auth-error.js';
import type { NonceStore } from '../replay/nonce-store.js';

/**
 * Claims a verified delivery's id in `store`, refusing an id already claimed. The entry lives
 * exactly as long as the delivery's signature could still be accepted: through the last
 * millisecond of its tolerance window (`timestamp + tolerance`, inclusive), which is the tolerance
 * itself for a delivery stamped now. Past that the timestamp check refuses a replay of the same
 * signed bytes, and a redelivery signed anew with the same id is accepted again.
 * @throws AuthError `ERR_WEBHOOK_REPLAYED`; the store's `ERR_NONCE_STORE_*` when it cannot answer
 */
export async function claimDelivery(
  store: NonceStore,
  key: string,
  window: { timestampSeconds: number; toleranceSeconds: number; nowMs: number },
): Promise<void> {
  // `+ 1`: the window's last millisecond still accepts the timestamp, so the entry outlives it.
  const ttlMs = (window.timestampSeconds + window.toleranceSeconds) * 1000 - window.nowMs + 1;
  if (!(await store.claim(key, ttlMs))) {
    throw new AuthError('ERR_WEBHOOK_REPLAYED', 'webhook delivery already received');
  }
}
