import type { Readable } from 'node:stream';

/**
 * Reads a body up to `limit` bytes. Returns `undefined` when it is longer (the rest is discarded
 * and the stream destroyed), so an upstream cannot make the caller buffer without bound.
 */
export async function readBodyLimited(body: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(buf);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
