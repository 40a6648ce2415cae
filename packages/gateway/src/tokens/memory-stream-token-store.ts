import type { StreamTokenRecord, StreamTokenStore } from './stream-token-store.js';

/** Stream tokens in this process, for the embedded default; bounded, expired ones swept on write. */
export function createMemoryStreamTokenStore(options: { maxTokens?: number } = {}): StreamTokenStore {
  const maxTokens = options.maxTokens ?? 100_000;
  const records = new Map<string, StreamTokenRecord>();
  // The stream that holds each token (absent: none open yet); removed with its token.
  const streams = new Map<string, string>();
  const remove = (hash: string) => {
    streams.delete(hash);
    return records.delete(hash);
  };
  const live = (hash: string) => {
    const record = records.get(hash);
    if (!record) return undefined;
    if (record.expiresAt <= Date.now()) {
      remove(hash);
      return undefined;
    }
    return record;
  };
  return {
    async put(hash, record) {
      if (records.size >= maxTokens) {
        const now = Date.now();
        for (const [key, value] of records) if (value.expiresAt <= now) remove(key);
        // Still full: drop the oldest (Map keeps insertion order), which expire first.
        const oldest = records.keys().next();
        if (records.size >= maxTokens && !oldest.done) remove(oldest.value);
      }
      records.set(hash, record);
    },
    async get(hash) {
      return live(hash);
    },
    async delete(hash) {
      return remove(hash);
    },
    async claim(hash, streamId) {
      if (!live(hash)) return { claimed: false };
      const replaced = streams.get(hash);
      streams.set(hash, streamId);
      return replaced === undefined || replaced === streamId
        ? { claimed: true }
        : { claimed: true, replaced };
    },
    async superseded(claims) {
      return claims
        .filter(({ hash, streamId }) => !live(hash) || streams.get(hash) !== streamId)
        .map((claim) => claim.streamId);
    },
    async close() {
      records.clear();
      streams.clear();
    },
  };
}
