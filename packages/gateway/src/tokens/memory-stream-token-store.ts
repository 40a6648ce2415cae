import type { StreamTokenRecord, StreamTokenStore } from './stream-token-store.js';

/** Stream tokens in this process, for the embedded default; bounded, expired ones swept on write. */
export function createMemoryStreamTokenStore(options: { maxTokens?: number } = {}): StreamTokenStore {
  const maxTokens = options.maxTokens ?? 100_000;
  const records = new Map<string, StreamTokenRecord>();
  return {
    async put(hash, record) {
      if (records.size >= maxTokens) {
        const now = Date.now();
        for (const [key, value] of records) if (value.expiresAt <= now) records.delete(key);
        // Still full: drop the oldest (Map keeps insertion order), which expire first.
        const oldest = records.keys().next();
        if (records.size >= maxTokens && !oldest.done) records.delete(oldest.value);
      }
      records.set(hash, record);
    },
    async get(hash) {
      const record = records.get(hash);
      if (!record) return undefined;
      if (record.expiresAt <= Date.now()) {
        records.delete(hash);
        return undefined;
      }
      return record;
    },
    async delete(hash) {
      return records.delete(hash);
    },
    async close() {
      records.clear();
    },
  };
}
