import { type JetStreamManager, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** Creates the stream unless it exists (another replica may create it at the same moment). */
export async function ensureStream(
  jsm: JetStreamManager,
  cfg: {
    name: string;
    subjects: string[];
    duplicateWindowMs: number;
    storage?: 'file' | 'memory';
    maxMessages?: number;
    maxAgeMs?: number;
  },
): Promise<void> {
  const existing = await jsm.streams.info(cfg.name).catch(() => null);
  if (existing) return;
  await jsm.streams
    .add({
      name: cfg.name,
      subjects: cfg.subjects,
      storage: cfg.storage === 'memory' ? StorageType.Memory : StorageType.File,
      duplicate_window: nanos(cfg.duplicateWindowMs),
      ...(cfg.maxMessages === undefined ? {} : { max_msgs: cfg.maxMessages }),
      ...(cfg.maxAgeMs === undefined ? {} : { max_age: nanos(cfg.maxAgeMs) }),
    })
    .catch(async (error: unknown) => {
      if (!(await jsm.streams.info(cfg.name).catch(() => null))) throw error;
    });
}
