import type { Readable } from 'node:stream';

/**
 * Reads a body up to `limit` bytes. Returns `undefined` when it is longer (the rest is discarded
 * and the stream destroyed), so an upstream cannot make the caller buffer without bound. Listens
 * to the stream's events rather than `for await`: the async iterator costs a promise per chunk
 * and its own end-of-stream machinery, which showed in the client's profile for small bodies.
 * A stream that closes before its end (a cut connection) rejects, as the iterator would.
 */
export function readBodyLimited(body: Readable, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Destroying may emit an abort error; it is expected here and must not go unhandled.
        body.on('error', () => {});
        body.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      const error = new Error('The response body closed before its end') as Error & { code: string };
      error.code = 'ERR_STREAM_PREMATURE_CLOSE';
      reject(error);
    };
    if (body.readableEnded) {
      resolve(Buffer.alloc(0));
      return;
    }
    if (body.destroyed) {
      onClose();
      return;
    }
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
  });
}
